import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-drafts-list',
  clauses: ['ENV.admin.drafts.list'],
  description: 'The admin plane does not serve GET /drafts: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'GET /drafts'),
} as const satisfies FaultDef;
