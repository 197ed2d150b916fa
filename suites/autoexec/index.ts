import type { CheckDef } from '../../src/kit/check.js';
import { autoexec001 } from './autoexec-001.js';
import { autoexec002 } from './autoexec-002.js';
import { autoexec003 } from './autoexec-003.js';
import { autoexec004 } from './autoexec-004.js';
import { autoexec005 } from './autoexec-005.js';
import { autoexec006 } from './autoexec-006.js';
import { autoexec007 } from './autoexec-007.js';
import { autoexec008 } from './autoexec-008.js';
import { autoexec009 } from './autoexec-009.js';
import { autoexec010 } from './autoexec-010.js';

/** AUTOEXEC checks, one file per requirement. */
export const autoexecChecks: CheckDef[] = [autoexec001, autoexec002, autoexec003, autoexec004, autoexec005, autoexec006, autoexec007, autoexec008, autoexec009, autoexec010];
