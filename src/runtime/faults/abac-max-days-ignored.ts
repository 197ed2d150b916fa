import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-ignored',
  clauses: ['ABAC.data.max_days.wider-denied', 'ABAC.data.max_days.default-window'],
  description: 'Data policy max_days is ignored.',
  hooks: {
    maxDays: () => () => null,
  },
} as const satisfies FaultDef;
