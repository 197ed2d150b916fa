import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-mismatch-runs-high-risk',
  clauses: ['IDEM.mismatch.never-runs-new'],
  description: 'In the high-risk tier only, an idempotency key re-used with a new payload executes the new payload (a low or medium write still refuses it).',
  hooks: {
    idempotency: (next) => (prior, fingerprint, tool) => {
      const decision = next(prior, fingerprint, tool);
      return decision === 'mismatch' && tool?.risk === 'high' ? 'proceed' : decision;
    },
  },
} as const satisfies FaultDef;
