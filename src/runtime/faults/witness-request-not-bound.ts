import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-request-not-bound',
  clauses: ['WITNESS.draft-binds.from-request'],
  description: "A draft checks the request's stateWitnessHash when it is created but binds none: its approval compares no witness.",
  hooks: {
    draftWitness: (next) => (requested, preflighted, current) => (requested !== null ? null : next(requested, preflighted, current)),
  },
} as const satisfies FaultDef;
