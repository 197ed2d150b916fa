import { unserved } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-drafts',
  clauses: ['ENV.route.drafts'],
  description: 'The agent plane does not serve GET /drafts/{id}: it answers 404 like an unknown path.',
  hooks: unserved('agent', 'GET /drafts/:id'),
} as const satisfies FaultDef;
