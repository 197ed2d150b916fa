import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-audit',
  clauses: ['ENV.admin.audit'],
  description: 'The admin plane does not serve GET /audit: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'GET /audit'),
} as const satisfies FaultDef;
