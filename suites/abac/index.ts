import type { CheckDef } from '../../src/engine/check.js';

/** ABAC checks, one file per requirement. */
export const abacChecks: CheckDef[] = [];
