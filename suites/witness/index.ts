import type { CheckDef } from '../../src/kit/check.js';
import { witness001 } from './witness-001.js';
import { witness002 } from './witness-002.js';
import { witness003 } from './witness-003.js';
import { witness004 } from './witness-004.js';
import { witness005 } from './witness-005.js';
import { witness006 } from './witness-006.js';

/** WITNESS checks, one file per requirement. */
export const witnessChecks: CheckDef[] = [witness001, witness002, witness003, witness004, witness005, witness006];
