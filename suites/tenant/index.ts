import type { CheckDef } from '../../src/kit/check.js';
import { tenant001 } from './tenant-001.js';
import { tenant002 } from './tenant-002.js';
import { tenant003 } from './tenant-003.js';
import { tenant004 } from './tenant-004.js';

/** TENANT checks, one file per requirement. */
export const tenantChecks: CheckDef[] = [tenant001, tenant002, tenant003, tenant004];
