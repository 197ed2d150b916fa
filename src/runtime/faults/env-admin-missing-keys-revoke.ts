import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-keys-revoke',
  clauses: ['ENV.admin.keys.revoke'],
  description: 'The admin plane does not serve POST /keys/{id}/revoke: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /keys/:id/revoke'),
} as const satisfies FaultDef;
