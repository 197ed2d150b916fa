import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-approve',
  breaks: 'WITNESS-003',
  description: 'Approval executes without recomputing the State Witness.',
  hooks: {
    revalidatesWitness: (next) => (at) => at !== 'approve' && next(at),
  },
} as const satisfies FaultDef;
