import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'preflight-reply-no-confirmation',
  clauses: ['PREFLIGHT.response.requiresConfirmation'],
  description: 'A preflight reply leaves out requiresConfirmation.',
  hooks: reshapeReply({ agent: ['POST /preflight'] }, (d) => without(d, 'requiresConfirmation')),
} as const satisfies FaultDef;
