import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'idem-replay-later-tools-runs-again',
  clauses: ['IDEM.replay.runs-nothing'],
  description: "An executed high-risk tool after the domain's first (the demo's transaction.hard_delete and transactions.export_csv) runs again when repeated with its idempotencyKey instead of answering the replay.",
  hooks: {
    idempotency: (next, env) => (prior, fingerprint, tool) => {
      const decision = next(prior, fingerprint, tool);
      return decision === 'replay' && laterOfRisk(env, tool?.name, 'high') ? 'proceed' : decision;
    },
  },
} as const satisfies FaultDef;
