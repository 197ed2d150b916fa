import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-create',
  clauses: ['WITNESS.create.stale-refused'],
  description: 'A stale stateWitnessHash on a write request is not checked at draft creation.',
  hooks: {
    revalidatesWitness: (next) => (at) => at !== 'create' && next(at),
  },
} as const satisfies FaultDef;
