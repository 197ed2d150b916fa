import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-reads-only',
  clauses: ['ABAC.data.max_days.wider-denied'],
  description: 'Data policy max_days bounds the windowed reads only: an export reads any date range, however wide.',
  hooks: {
    maxDays: (next) => (data, at) => (at === 'read' ? next(data, at) : null),
  },
} as const satisfies FaultDef;
