import type { FaultDef } from './fault.js';
import { reshapeReply } from './reply-data.js';

export const fault = {
  name: 'write-poll-hides-execution',
  clauses: ['WRITE.poll.latest-execution'],
  description: 'The agent poll of an executed draft shows execution null.',
  hooks: reshapeReply({ agent: ['GET /drafts/:id'] }, (d) => (d.execution === null ? undefined : { ...d, execution: null })),
} as const satisfies FaultDef;
