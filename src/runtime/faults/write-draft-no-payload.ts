import type { FaultDef } from './fault.js';
import { reshapeDrafts } from './reply-data.js';

export const fault = {
  name: 'write-draft-no-payload',
  clauses: ['WRITE.draft.payload'],
  description: 'A draft is shown without its payload, to the agent and to the reviewer.',
  hooks: reshapeDrafts((draft) => {
    delete draft.payload;
  }),
} as const satisfies FaultDef;
