import type { CheckDef } from '../../src/kit/check.js';
import { fuzz001 } from './fuzz-001.js';
import { fuzz002 } from './fuzz-002.js';
import { fuzz003 } from './fuzz-003.js';
import { fuzz004 } from './fuzz-004.js';
import { fuzz005 } from './fuzz-005.js';
import { fuzz006 } from './fuzz-006.js';
import { fuzz007 } from './fuzz-007.js';
import { fuzz008 } from './fuzz-008.js';

/** FUZZ checks, one file per requirement. */
export const fuzzChecks: CheckDef[] = [fuzz001, fuzz002, fuzz003, fuzz004, fuzz005, fuzz006, fuzz007, fuzz008];
