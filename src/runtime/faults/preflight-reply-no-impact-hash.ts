import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-impact-hash',
  clauses: ['PREFLIGHT.response.impactHash'],
  description: 'A preflight reply leaves out impactHash.',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'impactHash')),
} as const satisfies FaultDef;
