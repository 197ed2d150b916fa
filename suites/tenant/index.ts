import type { CheckDef } from '../../src/engine/check.js';

/** TENANT checks, one file per requirement. */
export const tenantChecks: CheckDef[] = [];
