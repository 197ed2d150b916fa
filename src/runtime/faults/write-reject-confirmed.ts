import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-confirmed',
  clauses: ['WRITE.final.reject-confirmed'],
  description: 'A confirmed (executed) draft can still be rejected: it turns canceled.',
  hooks: {
    reviewable: (next) => (status, decision) => next(status, decision) || (decision === 'reject' && status === 'confirmed'),
  },
} as const satisfies FaultDef;
