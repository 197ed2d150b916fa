import type { CheckDef } from '../../src/engine/check.js';

/** AUDIT checks, one file per requirement. */
export const auditChecks: CheckDef[] = [];
