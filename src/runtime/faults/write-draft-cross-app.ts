import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-draft-cross-app',
  clauses: ['WRITE.draft-isolation.other-app'],
  description: 'Agent GET /drafts/{id} ignores which app owns the draft.',
  hooks: {
    draftVisible: () => () => true,
  },
} as const satisfies FaultDef;
