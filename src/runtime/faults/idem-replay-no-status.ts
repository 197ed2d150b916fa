import type { FaultDef } from './fault.js';
import { isReplay, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'idem-replay-no-status',
  clauses: ['IDEM.replay.status'],
  description: 'An idempotent replay leaves out status.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isReplay(d) ? without(d, 'status') : undefined)),
} as const satisfies FaultDef;
