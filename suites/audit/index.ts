import type { CheckDef } from '../../src/kit/check.js';
import { audit001 } from './audit-001.js';
import { audit002 } from './audit-002.js';
import { audit003 } from './audit-003.js';
import { audit004 } from './audit-004.js';
import { audit005 } from './audit-005.js';
import { audit006 } from './audit-006.js';

/** AUDIT checks, one file per requirement. */
export const auditChecks: CheckDef[] = [audit001, audit002, audit003, audit004, audit005, audit006];
