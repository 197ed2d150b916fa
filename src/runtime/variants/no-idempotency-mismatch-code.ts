import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'no-idempotency-mismatch-code',
  description: 'An idempotency key re-used with a different payload replays the key\'s original execution (nothing new runs) instead of 409 agent.idempotency_mismatch.',
  allowedBy: 'Brief section 7: "Re-using a key with a different payload must never run the new payload; servers SHOULD reject it (agent.idempotency_mismatch)" (IDEM-005 is a SHOULD).',
  givesUp: ['IDEM-005'],
  hooks: {
    // The key's first execution answers every re-use, whatever the payload.
    idempotency: (next) => (prior, fingerprint) => {
      const decision = next(prior, fingerprint);
      return decision === 'mismatch' && prior?.execution ? 'replay' : decision;
    },
  },
};
