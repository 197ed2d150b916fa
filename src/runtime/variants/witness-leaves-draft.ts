import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'witness-leaves-draft',
  description: 'A State Witness failure at approval refuses with 409 agent.precondition_failed and leaves the draft pending (status draft) instead of marking it failed.',
  allowedBy: 'Brief section 8: "on any difference it fails closed: 409 agent.precondition_failed, no execution, a denied audit event"; the draft\'s resulting status is not specified.',
  hooks: {
    draftStatusOnStaleWitness: () => () => null,
  },
};
