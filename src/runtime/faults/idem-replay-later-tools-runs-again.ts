import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'idem-replay-later-tools-runs-again',
  clauses: ['IDEM.replay.runs-nothing'],
  description: "An executed tool after the domain's first of its risk level (the demo's transaction.update, transaction.hard_delete and transactions.export_csv) runs again when repeated with its idempotencyKey instead of answering the replay.",
  hooks: {
    idempotency: (next, env) => (prior, fingerprint, tool) => {
      const decision = next(prior, fingerprint, tool);
      return decision === 'replay' && (laterOfRisk(env, tool?.name, 'high') || laterOfRisk(env, tool?.name, 'medium')) ? 'proceed' : decision;
    },
  },
} as const satisfies FaultDef;
