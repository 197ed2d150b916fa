import type { FaultDef } from './fault.js';
import { reshapeDrafts } from './reply-data.js';

export const fault = {
  name: 'write-auto-executed-stays-draft',
  clauses: ['WRITE.status.confirmed.auto-executed'],
  description: 'A draft that asked to auto-execute is still shown as status "draft" once it ran.',
  hooks: reshapeDrafts((draft) => {
    if (draft.status === 'confirmed' && draft.auto_execute_requested === true) draft.status = 'draft';
  }),
} as const satisfies FaultDef;
