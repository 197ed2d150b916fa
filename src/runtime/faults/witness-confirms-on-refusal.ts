import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-confirms-on-refusal',
  clauses: ['WRITE.status.confirmed.approved'],
  description: 'An approval refused on a stale State Witness still marks the draft confirmed (nothing runs).',
  hooks: {
    draftStatusOnStaleWitness: () => () => 'confirmed',
  },
} as const satisfies FaultDef;
