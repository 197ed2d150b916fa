import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-approve-runs-nothing',
  clauses: ['WRITE.approve.executes'],
  description: 'Approving a draft records the approval but runs nothing: no execution, the draft stays pending.',
  hooks: {
    reviewExecution: (next) => (decision, execute, skipWitness, tool) => (decision === 'approve' ? null : next(decision, execute, skipWitness, tool)),
  },
} as const satisfies FaultDef;
