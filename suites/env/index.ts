import type { CheckDef } from '../../src/kit/check.js';
import { env001 } from './env-001.js';
import { env002 } from './env-002.js';
import { env003 } from './env-003.js';
import { env004 } from './env-004.js';
import { env005 } from './env-005.js';
import { env006 } from './env-006.js';
import { env007 } from './env-007.js';
import { env008 } from './env-008.js';
import { env009 } from './env-009.js';
import { env010 } from './env-010.js';
import { env011 } from './env-011.js';

/** ENV checks, one file per requirement. */
export const envChecks: CheckDef[] = [env001, env002, env003, env004, env005, env006, env007, env008, env009, env010, env011];
