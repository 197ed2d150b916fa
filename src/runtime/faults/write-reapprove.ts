import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reapprove',
  clauses: ['WRITE.final.approve-confirmed', 'WRITE.execution.once'],
  description: 'Approving an already confirmed draft executes it again.',
  hooks: {
    reviewable: (next) => (status, decision) => next(status, decision) || (decision === 'approve' && status === 'confirmed'),
  },
} as const satisfies FaultDef;
