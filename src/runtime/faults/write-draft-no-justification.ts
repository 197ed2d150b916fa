import type { FaultDef } from './fault.js';
import { reshapeDrafts } from './reply-data.js';

export const fault = {
  name: 'write-draft-no-justification',
  clauses: ['WRITE.draft.justification'],
  description: 'A draft is shown without the justification it was requested with.',
  hooks: reshapeDrafts((draft) => {
    delete draft.justification;
  }),
} as const satisfies FaultDef;
