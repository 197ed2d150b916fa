import type { CheckDef } from '../../src/engine/check.js';

/** ADM checks, one file per requirement. */
export const admChecks: CheckDef[] = [];
