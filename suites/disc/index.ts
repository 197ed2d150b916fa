import type { CheckDef } from '../../src/kit/check.js';
import { disc001 } from './disc-001.js';
import { disc002 } from './disc-002.js';
import { disc003 } from './disc-003.js';
import { disc004 } from './disc-004.js';
import { disc005 } from './disc-005.js';

/** DISC checks, one file per requirement. */
export const discChecks: CheckDef[] = [disc001, disc002, disc003, disc004, disc005];
