import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-risk',
  clauses: ['PREFLIGHT.response.risk'],
  description: 'A preflight reply leaves out risk.',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'risk')),
} as const satisfies FaultDef;
