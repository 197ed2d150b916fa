import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-actions',
  clauses: ['ENV.route.actions'],
  description: 'The agent plane does not serve POST /actions: it answers 404 like an unknown path.',
  hooks: unserved('agent', 'POST /actions'),
} as const satisfies FaultDef;
