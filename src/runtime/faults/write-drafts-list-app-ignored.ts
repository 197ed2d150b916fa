import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-drafts-list-app-ignored',
  clauses: ['WRITE.drafts-list.app'],
  description: "GET /drafts ignores appId: every app's drafts are listed (status still filters).",
  hooks: {
    draftsQuery: (next) => (query) => ({ ...next(query), appId: null }),
  },
} as const satisfies FaultDef;
