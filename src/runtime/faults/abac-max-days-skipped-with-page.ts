import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-skipped-with-page',
  clauses: ['ABAC.data.max_days.wider-denied', 'ABAC.data.max_days.default-window'],
  description: 'Data policy max_days is not applied to a windowed read whose query names `page`: neither the range limit nor the default window; the same read without it is bounded.',
  hooks: {
    maxDays: (next) => (data, at, query) => (at === 'read' && query?.has('page') ? null : next(data, at, query)),
  },
} as const satisfies FaultDef;
