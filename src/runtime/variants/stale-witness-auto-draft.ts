import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'stale-witness-auto-draft',
  description: 'An auto-execute whose draft-bound State Witness is stale withholds the write as a pending draft with autoExecuteDeniedCode agent.precondition_failed instead of answering 409; a witness bound through a preflightId is judged there, not refused at creation.',
  allowedBy: 'WITNESS-004: "Auto-execution with a stale witness fails closed: 409 agent.precondition_failed (or a draft) and no execution"; brief section 7: "Every refusal still creates a draft and returns HTTP 200".',
  hooks: {
    // Two hooks: a witness that comes with a preflightId is not compared at creation, and the auto-execute
    // gate compares the draft's witness instead, withholding a stale one for review.
    preflightBinding: (next) => (pre) => ({ impactHash: next(pre).impactHash, witnessHash: null }),
    autoExecuteWitness: () => (bound, current) => (current !== bound ? 'agent.precondition_failed' : null),
  },
};
