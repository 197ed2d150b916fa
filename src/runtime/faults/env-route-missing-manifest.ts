import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-manifest',
  clauses: ['ENV.route.manifest'],
  description: 'The agent plane does not serve GET /manifest: it answers 404 like an unknown path.',
  hooks: unserved('agent', 'GET /manifest'),
} as const satisfies FaultDef;
