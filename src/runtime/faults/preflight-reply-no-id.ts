import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-id',
  clauses: ['PREFLIGHT.response.preflightId'],
  description: 'A preflight reply leaves out preflightId (the preflight is still stored).',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'preflightId')),
} as const satisfies FaultDef;
