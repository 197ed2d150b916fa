import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-not-required',
  clauses: ['PREFLIGHT.gate.hash-present'],
  description: 'A high-risk execute without preflightHash is accepted.',
  hooks: {
    preflightRequired: () => () => false,
  },
} as const satisfies FaultDef;
