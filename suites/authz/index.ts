import type { CheckDef } from '../../src/engine/check.js';

/** AUTHZ checks, one file per requirement. */
export const authzChecks: CheckDef[] = [];
