import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-approve',
  clauses: ['ENV.admin.drafts.approve'],
  description: 'The admin plane does not serve POST /drafts/{id}/approve: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /drafts/:id/approve'),
} as const satisfies FaultDef;
