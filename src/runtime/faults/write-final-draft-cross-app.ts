import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-final-draft-cross-app',
  clauses: ['WRITE.draft-isolation.other-app'],
  description: 'Agent GET /drafts/{id} ignores which app owns a draft once it is final (confirmed, canceled or failed); a pending one stays hidden.',
  hooks: {
    draftVisible: (next) => (draft, app) => draft.status !== 'draft' || next(draft, app),
  },
} as const satisfies FaultDef;
