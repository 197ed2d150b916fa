import type { CheckDef } from '../../src/engine/check.js';

/** IDEM checks, one file per requirement. */
export const idemChecks: CheckDef[] = [];
