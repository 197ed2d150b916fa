import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-approve-canceled',
  clauses: ['WRITE.final.approve-canceled'],
  description: 'A rejected (canceled) draft can still be approved, and then runs.',
  hooks: {
    reviewable: (next) => (status, decision) => next(status, decision) || (decision === 'approve' && status === 'canceled'),
  },
} as const satisfies FaultDef;
