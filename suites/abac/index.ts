import type { CheckDef } from '../../src/kit/check.js';
import { abac001 } from './abac-001.js';
import { abac002 } from './abac-002.js';
import { abac003 } from './abac-003.js';
import { abac004 } from './abac-004.js';
import { abac005 } from './abac-005.js';
import { abac006 } from './abac-006.js';

/** ABAC checks, one file per requirement. */
export const abacChecks: CheckDef[] = [abac001, abac002, abac003, abac004, abac005, abac006];
