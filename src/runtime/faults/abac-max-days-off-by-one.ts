import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-off-by-one',
  clauses: ['ABAC.data.max_days.wider-denied'],
  description: 'A read under max_days N admits a range of N + 1 days (its default window is one day wider too); wider ranges are still refused.',
  hooks: {
    maxDays: (next) => (data, at) => {
      const n = next(data, at);
      return n === null || at !== 'read' ? n : n + 1;
    },
  },
} as const satisfies FaultDef;
