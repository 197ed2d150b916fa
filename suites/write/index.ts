import type { CheckDef } from '../../src/engine/check.js';

/** WRITE checks, one file per requirement. */
export const writeChecks: CheckDef[] = [];
