import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-action',
  clauses: ['PREFLIGHT.response.action'],
  description: 'A preflight reply leaves out action.',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'action')),
} as const satisfies FaultDef;
