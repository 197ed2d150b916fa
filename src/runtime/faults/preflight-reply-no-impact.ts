import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-impact',
  clauses: ['PREFLIGHT.response.impact'],
  description: 'A preflight reply leaves out impact (the impactHash still covers it).',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'impact')),
} as const satisfies FaultDef;
