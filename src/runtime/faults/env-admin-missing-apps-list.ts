import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-admin-missing-apps-list',
  clauses: ['ENV.admin.apps.list'],
  description: 'The admin plane does not serve GET /apps: it answers 404 like an unknown path.',
  hooks: unserved('admin', 'GET /apps'),
} as const satisfies FaultDef;
