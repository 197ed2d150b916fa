import type { CheckDef } from '../../src/engine/check.js';

/** PREFLIGHT checks, one file per requirement. */
export const preflightChecks: CheckDef[] = [];
