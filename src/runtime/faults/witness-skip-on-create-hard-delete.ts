import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-create-hard-delete',
  clauses: ['WITNESS.create.stale-refused'],
  description: 'A stale stateWitnessHash is not checked at draft creation of transaction.hard_delete only (every other witnessed write refuses it).',
  hooks: {
    revalidatesWitness: (next) => (at, tool) => !(at === 'create' && tool === 'transaction.hard_delete') && next(at, tool),
  },
} as const satisfies FaultDef;
