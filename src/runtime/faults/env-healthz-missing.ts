import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-healthz-missing',
  clauses: ['ENV.admin.healthz'],
  description: 'GET /healthz is not served: it answers 404 like an unknown path.',
  hooks: unserved('health', 'GET /healthz'),
} as const satisfies FaultDef;
