import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-drafts-list-status-ignored',
  clauses: ['WRITE.drafts-list.status'],
  description: 'GET /drafts ignores status when appId is given too: the app\'s drafts of every status are listed.',
  hooks: {
    draftsQuery: (next) => (query) => {
      const q = next(query);
      return q.appId === null ? q : { ...q, status: null };
    },
  },
} as const satisfies FaultDef;
