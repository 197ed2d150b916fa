import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-review-failed',
  clauses: ['WRITE.final.approve-failed', 'WRITE.final.reject-failed'],
  description: 'A failed draft stays open to review: approving runs it again, rejecting cancels it.',
  hooks: {
    reviewable: (next) => (status, decision) => next(status, decision) || status === 'failed',
  },
} as const satisfies FaultDef;
