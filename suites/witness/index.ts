import type { CheckDef } from '../../src/engine/check.js';

/** WITNESS checks, one file per requirement. */
export const witnessChecks: CheckDef[] = [];
