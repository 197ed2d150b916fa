import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-mismatch-replays',
  clauses: ['IDEM.mismatch.reject'],
  description: 'A key re-used with a different payload replays the first execution instead of refusing with agent.idempotency_mismatch.',
  hooks: {
    idempotency: (next) => (prior, fingerprint) => {
      const decision = next(prior, fingerprint);
      return decision === 'mismatch' && prior?.execution ? 'replay' : decision;
    },
  },
} as const satisfies FaultDef;
