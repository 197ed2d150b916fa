import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-policy',
  clauses: ['ENV.admin.policy'],
  description: 'The admin plane does not serve PATCH /apps/{id}/policy: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'PATCH /apps/:id/policy'),
} as const satisfies FaultDef;
