import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-drafts-get',
  clauses: ['ENV.admin.drafts.get'],
  description: 'The admin plane does not serve GET /drafts/{id}: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'GET /drafts/:id'),
} as const satisfies FaultDef;
