import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-reject',
  clauses: ['ENV.admin.drafts.reject'],
  description: 'The admin plane does not serve POST /drafts/{id}/reject: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /drafts/:id/reject'),
} as const satisfies FaultDef;
