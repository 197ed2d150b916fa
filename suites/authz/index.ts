import type { CheckDef } from '../../src/kit/check.js';
import { authz001 } from './authz-001.js';
import { authz002 } from './authz-002.js';

/** AUTHZ checks, one file per requirement. */
export const authzChecks: CheckDef[] = [authz001, authz002];
