import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-max-days-preflight-only',
  clauses: ['ABAC.data.max_days.wider-denied'],
  description: "Data policy max_days bounds an export's date range at its preflight only: POST /actions drafts (and may execute) an export over any range.",
  hooks: {
    maxDays: (next) => (data, at) => (at === 'actions' ? null : next(data, at)),
  },
} as const satisfies FaultDef;
