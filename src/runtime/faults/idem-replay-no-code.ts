import type { FaultDef } from './fault.js';
import { isReplay, reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'idem-replay-no-code',
  clauses: ['IDEM.replay.code'],
  description: 'An idempotent replay leaves out code.',
  hooks: reshapeReply({ agent: ['POST /actions'] }, (d) => (isReplay(d) ? without(d, 'code') : undefined)),
} as const satisfies FaultDef;
