import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-page-size-unbounded',
  clauses: ['ENV.page.size-max'],
  description: 'A paged read takes a pageSize up to 1 000 and answers pages that large (§3: pageSize ≤ 200).',
  hooks: {
    maxPageSize: () => () => 1000,
  },
} as const satisfies FaultDef;
