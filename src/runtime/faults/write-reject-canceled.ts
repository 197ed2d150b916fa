import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-canceled',
  clauses: ['WRITE.final.reject-canceled'],
  description: 'A rejected (canceled) draft can be rejected again.',
  hooks: {
    reviewable: (next) => (status, decision) => next(status, decision) || (decision === 'reject' && status === 'canceled'),
  },
} as const satisfies FaultDef;
