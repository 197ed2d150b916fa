import { unservedReads } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-route-missing-list-read',
  clauses: ['ENV.route.ledgers'],
  description: "The agent plane does not serve the reads that list without naming a container (the demo's GET /ledgers): they answer 404 like an unknown path.",
  hooks: unservedReads((read) => read.containerParam === undefined),
} as const satisfies FaultDef;
