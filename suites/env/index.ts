import type { CheckDef } from '../../src/engine/check.js';

/** ENV checks, one file per requirement. */
export const envChecks: CheckDef[] = [];
