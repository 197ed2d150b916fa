import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'witness-preflight-no-witness',
  clauses: ['WITNESS.preflight.returns-witness'],
  description: 'Preflight of a witnessed tool leaves out stateWitness (its hash is still sent and still binds).',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => ('stateWitness' in d ? without(d, 'stateWitness') : undefined)),
} as const satisfies FaultDef;
