import type { CheckDef } from '../../src/kit/check.js';
import { preflight001 } from './preflight-001.js';
import { preflight002 } from './preflight-002.js';
import { preflight003 } from './preflight-003.js';
import { preflight004 } from './preflight-004.js';
import { preflight005 } from './preflight-005.js';
import { preflight006 } from './preflight-006.js';
import { preflight007 } from './preflight-007.js';
import { preflight008 } from './preflight-008.js';
import { preflight009 } from './preflight-009.js';

/** PREFLIGHT checks, one file per requirement. */
export const preflightChecks: CheckDef[] = [preflight001, preflight002, preflight003, preflight004, preflight005, preflight006, preflight007, preflight008, preflight009];
