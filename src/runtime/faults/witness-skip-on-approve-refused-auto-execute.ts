import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-approve-refused-auto-execute',
  clauses: ['WITNESS.recompute.approval'],
  description: 'The State Witness is not recomputed when an admin approves a draft left by a refused execute:true request (its auto-execution was refused); a draft that never asked to execute is still re-checked.',
  hooks: {
    revalidatesWitness: (next) => (at, tool, draft) => !(at === 'approve' && draft?.auto_execute_requested === true) && next(at, tool, draft),
  },
} as const satisfies FaultDef;
