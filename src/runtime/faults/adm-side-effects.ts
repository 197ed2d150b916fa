import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-side-effects',
  clauses: ['ADM.refused.no-draft', 'ADM.refused.no-preflight', 'FUZZ.abuse.retry-storm'],
  description: 'The limiter runs after the handler, so a refused POST /actions still creates its draft (and a refused preflight its preflight record).',
  hooks: {
    admissionAfterHandler: () => () => true,
  },
} as const satisfies FaultDef;
