import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'write-draft-cross-app-later-tools',
  clauses: ['WRITE.draft-isolation.other-app'],
  description: "Agent GET /drafts/{id} shows a draft of a high-risk tool after the domain's first (the demo's transaction.hard_delete and transactions.export_csv) to any app; every other draft only to its own.",
  hooks: {
    draftVisible: (next, env) => (draft, app) => next(draft, app) || laterOfRisk(env, draft.action_type, 'high'),
  },
} as const satisfies FaultDef;
