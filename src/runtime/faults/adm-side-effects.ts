import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-side-effects',
  clauses: ['ADM.refused.no-draft', 'ADM.refused.no-execution', 'ADM.refused.no-preflight', 'ADM.refused.no-adapter-call', 'FUZZ.abuse.retry-storm', 'ADM.order.before-handler'],
  description: 'The limiter runs after the handler, so a refused POST /actions still creates its draft (and, auto-executed, its execution and resource) and a refused preflight its preflight record.',
  hooks: {
    admissionAfterHandler: () => () => true,
  },
} as const satisfies FaultDef;
