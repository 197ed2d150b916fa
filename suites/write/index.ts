import type { CheckDef } from '../../src/kit/check.js';
import { write001 } from './write-001.js';
import { write002 } from './write-002.js';
import { write003 } from './write-003.js';
import { write004 } from './write-004.js';
import { write005 } from './write-005.js';
import { write006 } from './write-006.js';
import { write007 } from './write-007.js';
import { write008 } from './write-008.js';
import { write009 } from './write-009.js';

/** WRITE checks, one file per requirement. */
export const writeChecks: CheckDef[] = [write001, write002, write003, write004, write005, write006, write007, write008, write009];
