import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-mismatch-runs',
  clauses: ['IDEM.mismatch.never-runs-new'],
  description: 'An idempotency key re-used with a new payload executes the new payload.',
  hooks: {
    idempotency: (next) => (prior, fingerprint) => {
      const decision = next(prior, fingerprint);
      return decision === 'mismatch' ? 'proceed' : decision;
    },
  },
} as const satisfies FaultDef;
