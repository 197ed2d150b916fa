import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-tools',
  clauses: ['ENV.admin.tools'],
  description: 'The admin plane does not serve GET /apps/{id}/tools: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'GET /apps/:id/tools'),
} as const satisfies FaultDef;
