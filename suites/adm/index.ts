import type { CheckDef } from '../../src/kit/check.js';
import { adm001 } from './adm-001.js';
import { adm002 } from './adm-002.js';
import { adm003 } from './adm-003.js';
import { adm004 } from './adm-004.js';

/** ADM checks, one file per requirement. */
export const admChecks: CheckDef[] = [adm001, adm002, adm003, adm004];
