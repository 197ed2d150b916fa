import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-approve-skips-unwitnessed-high-risk',
  clauses: ['WRITE.approve.executes'],
  description:
    'Approving a draft of a high-risk tool without a State Witness (an export, a bulk reassignment) records the approval but runs nothing; ' +
    'the witnessed high-risk tool every sample-driven check uses still runs.',
  hooks: {
    reviewExecution: (next) => (decision, execute, skipWitness, tool) =>
      (decision === 'approve' && tool.risk === 'high' && !tool.witnessed ? null : next(decision, execute, skipWitness, tool)),
  },
} as const satisfies FaultDef;
