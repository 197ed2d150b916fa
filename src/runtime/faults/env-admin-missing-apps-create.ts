import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-apps-create',
  clauses: ['ENV.admin.apps.create'],
  description: 'The admin plane does not serve POST /apps: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'POST /apps'),
} as const satisfies FaultDef;
