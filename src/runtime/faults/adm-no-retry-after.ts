import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-no-retry-after',
  clauses: ['ADM.refused.retry-after'],
  description: '429 responses carry no Retry-After header.',
  hooks: {
    rateLimitHeaders: (next) => (a) => {
      const headers = next(a);
      delete headers['retry-after'];
      return headers;
    },
  },
} as const satisfies FaultDef;
