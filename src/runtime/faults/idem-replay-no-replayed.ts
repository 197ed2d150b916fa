import type { FaultDef } from './fault.js';
import { isReplay, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'idem-replay-no-replayed',
  clauses: ['IDEM.replay.replayed'],
  description: 'An idempotent replay leaves out replayed.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isReplay(d) ? without(d, 'replayed') : undefined)),
} as const satisfies FaultDef;
