import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-preflight',
  clauses: ['ENV.route.preflight'],
  description: 'The agent plane does not serve POST /preflight: it answers 404 like an unknown path.',
  hooks: unserved('agent', 'POST /preflight'),
} as const satisfies FaultDef;
