import type { CheckDef } from '../../src/engine/check.js';

/** AUTHN checks, one file per requirement. */
export const authnChecks: CheckDef[] = [];
