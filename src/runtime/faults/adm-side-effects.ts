import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-side-effects',
  clauses: ['ADM.refused.no-draft', 'FUZZ.abuse.retry-storm'],
  description: 'The limiter runs after the handler, so a refused POST /actions still creates its draft.',
  hooks: {
    admissionAfterHandler: () => () => true,
  },
} as const satisfies FaultDef;
