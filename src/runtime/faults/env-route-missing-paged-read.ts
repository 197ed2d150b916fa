import { unservedReads } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-paged-read',
  clauses: ['ENV.route.transactions'],
  description: "The agent plane does not serve the paged reads of one container (the demo's GET /transactions?ledgerId&startDate&endDate&page&pageSize): they answer 404 like an unknown path.",
  hooks: unservedReads((read) => read.paged === true),
} as const satisfies FaultDef;
