import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-double-execute',
  clauses: ['WRITE.execution.once'],
  description: 'Approval executes the draft twice.',
  hooks: {
    reviewExecution: (next) => (decision, execute, skipWitness, tool) => {
      const first = next(decision, execute, skipWitness, tool);
      return decision === 'approve' ? execute(true) : first;
    },
  },
} as const satisfies FaultDef;
