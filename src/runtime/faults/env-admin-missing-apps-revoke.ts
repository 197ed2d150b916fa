import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-apps-revoke',
  clauses: ['ENV.admin.apps.revoke'],
  description: 'The admin plane does not serve POST /apps/{id}/revoke: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /apps/:id/revoke'),
} as const satisfies FaultDef;
