import type { CheckDef } from '../../src/engine/check.js';

/** FUZZ checks, one file per requirement. */
export const fuzzChecks: CheckDef[] = [];
