import type { CheckDef } from '../../src/engine/check.js';

/** DISC checks, one file per requirement. */
export const discChecks: CheckDef[] = [];
