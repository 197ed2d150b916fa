import type { FaultDef } from './fault.js';
import { isReplay, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'idem-replay-no-execution',
  clauses: ['IDEM.replay.execution'],
  description: 'An idempotent replay leaves out execution.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isReplay(d) ? without(d, 'execution') : undefined)),
} as const satisfies FaultDef;
