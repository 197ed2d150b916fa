import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'write-final-later-tools-reviewable',
  clauses: ['WRITE.final.approve-confirmed', 'WRITE.final.reject-confirmed', 'WRITE.final.approve-canceled', 'WRITE.final.reject-canceled'],
  description: "A final draft (confirmed or canceled) of a high-risk tool after the domain's first (the demo's transaction.hard_delete and transactions.export_csv) can be approved or rejected again; every other tool's answers 400 agent.draft_already_final.",
  hooks: {
    reviewable: (next, env) => (status, decision, tool) => next(status, decision, tool) || ((status === 'confirmed' || status === 'canceled') && laterOfRisk(env, tool, 'high')),
  },
} as const satisfies FaultDef;
