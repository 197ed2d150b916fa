import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-skip-on-auto-execute',
  clauses: ['WITNESS.recompute.auto-execute', 'WITNESS.draft-binds.from-preflight', 'WITNESS.fail-closed.auto-execute.no-execution'],
  description: 'Auto-execution runs without recomputing the State Witness, and a witness bound through a preflightId is left to that recomputation.',
  hooks: {
    // Two hooks: skipping the recomputation at auto-execute is not enough on its own, since a witness that comes
    // with a preflightId would still be compared when the draft is created; it is left to the skipped execution.
    revalidatesWitness: (next) => (at) => at !== 'auto-execute' && next(at),
    preflightBinding: (next) => (pre) => ({ impactHash: next(pre).impactHash, witnessHash: null }),
  },
} as const satisfies FaultDef;
