import type { FaultDef } from './fault.js';
import { reshapeReply, without } from './reply-data.js';

export const fault = {
  name: 'write-poll-no-draft',
  clauses: ['WRITE.poll.draft'],
  description: 'The agent poll of a draft leaves out the draft.',
  hooks: reshapeReply({ agent: ['GET /drafts/:id'] }, (d) => without(d, 'draft')),
} as const satisfies FaultDef;
