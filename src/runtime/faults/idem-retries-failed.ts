import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-retries-failed',
  clauses: ['IDEM.replay.returns-execution'],
  description: 'An idempotencyKey whose execution failed runs again instead of replaying the failed execution.',
  hooks: {
    idempotency: (next) => (prior, fingerprint) => (prior?.execution?.status === 'failed' ? 'proceed' : next(prior, fingerprint)),
  },
} as const satisfies FaultDef;
