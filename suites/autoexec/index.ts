import type { CheckDef } from '../../src/engine/check.js';

/** AUTOEXEC checks, one file per requirement. */
export const autoexecChecks: CheckDef[] = [];
