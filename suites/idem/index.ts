import type { CheckDef } from '../../src/kit/check.js';
import { idem001 } from './idem-001.js';
import { idem002 } from './idem-002.js';
import { idem003 } from './idem-003.js';
import { idem004 } from './idem-004.js';
import { idem005 } from './idem-005.js';

/** IDEM checks, one file per requirement. */
export const idemChecks: CheckDef[] = [idem001, idem002, idem003, idem004, idem005];
