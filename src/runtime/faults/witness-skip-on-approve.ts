import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-approve',
  clauses: ['WITNESS.recompute.approval', 'WITNESS.fail-closed.approval.refused-409', 'WITNESS.fail-closed.approval.no-execution'],
  description: 'Approval executes without recomputing the State Witness.',
  hooks: {
    revalidatesWitness: (next) => (at) => at !== 'approve' && next(at),
  },
} as const satisfies FaultDef;
