import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-page-has-more-false',
  clauses: ['ENV.page.has-more'],
  description: 'Every page of a paged read says hasMore: false, the first of many included.',
  hooks: {
    replyData: (next) => (plane, route, data) => {
      const d = next(plane, route, data);
      return plane === 'agent' && typeof d === 'object' && d !== null && typeof (d as { hasMore?: unknown }).hasMore === 'boolean' ? { ...d, hasMore: false } : d;
    },
  },
} as const satisfies FaultDef;
