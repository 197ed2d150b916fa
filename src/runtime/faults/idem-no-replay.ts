import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-no-replay',
  clauses: ['IDEM.replay.returns-execution', 'IDEM.replay.runs-nothing'],
  description: 'A repeated idempotency key executes again instead of replaying.',
  hooks: {
    idempotency: (next) => (prior, fingerprint) => {
      const decision = next(prior, fingerprint);
      return decision === 'replay' ? 'proceed' : decision;
    },
  },
} as const satisfies FaultDef;
