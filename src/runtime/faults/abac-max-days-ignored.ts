import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-ignored',
  breaks: 'ABAC-004',
  description: 'Data policy max_days is ignored.',
  hooks: {
    maxDays: () => () => null,
  },
} as const satisfies FaultDef;
