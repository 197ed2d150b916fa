import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-not-bound-at-creation',
  clauses: ['WITNESS.draft-binds.at-creation'],
  description: 'A draft requested with neither a stateWitnessHash nor a preflightId binds no witness: its approval compares none.',
  hooks: {
    draftWitness: (next) => (requested, preflighted, current) => (requested === null && preflighted === null ? null : next(requested, preflighted, current)),
  },
} as const satisfies FaultDef;
