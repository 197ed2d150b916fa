import type { FaultDef } from './fault.js';
import { reshapeDrafts } from './reply-data.js';

export const fault = {
  name: 'write-draft-no-preflight-hash',
  clauses: ['WRITE.draft.preflight-hash'],
  description: 'A draft is shown without the preflight hash it binds.',
  hooks: reshapeDrafts((draft) => {
    delete draft.preflight_hash;
  }),
} as const satisfies FaultDef;
