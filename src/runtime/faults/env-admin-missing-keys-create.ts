import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-keys-create',
  clauses: ['ENV.admin.keys.create'],
  description: 'The admin plane does not serve POST /apps/{id}/keys: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /apps/:id/keys'),
} as const satisfies FaultDef;
