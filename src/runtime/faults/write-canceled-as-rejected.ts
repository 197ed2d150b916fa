import type { FaultDef } from './fault.js';
import { reshapeDrafts } from './reply-data.js';

export const fault = {
  name: 'write-canceled-as-rejected',
  clauses: ['WRITE.status.canceled'],
  description: 'A rejected draft is shown with status "rejected", a status the lifecycle does not have.',
  hooks: reshapeDrafts((draft) => {
    if (draft.status === 'canceled') draft.status = 'rejected';
  }),
} as const satisfies FaultDef;
