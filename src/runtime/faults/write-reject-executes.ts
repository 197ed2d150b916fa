import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-reject-executes',
  clauses: ['WRITE.execution.only-confirmed'],
  description: 'Rejecting a draft executes it before canceling it.',
  hooks: {
    reviewExecution: (next) => (decision, execute, skipWitness, tool) => {
      if (decision === 'reject') {
        try {
          execute(true);
        } catch {
          // The defect is that it ran at all; its outcome does not change the rejection.
        }
      }
      return next(decision, execute, skipWitness, tool);
    },
  },
} as const satisfies FaultDef;
