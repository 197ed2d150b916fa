import type { CheckDef } from '../../src/kit/check.js';
import { authn001 } from './authn-001.js';
import { authn002 } from './authn-002.js';
import { authn003 } from './authn-003.js';
import { authn004 } from './authn-004.js';
import { authn005 } from './authn-005.js';
import { authn006 } from './authn-006.js';
import { authn007 } from './authn-007.js';
import { authn008 } from './authn-008.js';
import { authn009 } from './authn-009.js';

/** AUTHN checks, one file per requirement. */
export const authnChecks: CheckDef[] = [authn001, authn002, authn003, authn004, authn005, authn006, authn007, authn008, authn009];
