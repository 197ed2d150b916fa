import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'write-poll-no-null-execution',
  clauses: ['WRITE.poll.execution-null'],
  description: 'The agent poll of a draft without execution leaves execution out instead of null.',
  hooks: reshapeReply({ agent: ['GET /drafts/:id'] }, (d) => (d.execution === null ? without(d, 'execution') : undefined)),
} as const satisfies FaultDef;
