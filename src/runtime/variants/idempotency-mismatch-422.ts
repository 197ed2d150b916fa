import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'idempotency-mismatch-422',
  description: 'A re-used idempotency key with a different payload is refused with 422 (not 409) agent.idempotency_mismatch.',
  allowedBy: 'Brief section 5: "agent.idempotency_mismatch [409 or 422] (same key, different payload)".',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (err.code === 'agent.idempotency_mismatch') reply.status = 422;
      return reply;
    },
  },
};
