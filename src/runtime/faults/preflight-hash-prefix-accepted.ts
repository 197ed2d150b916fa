import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-prefix-accepted',
  clauses: ['PREFLIGHT.gate.hash-equal'],
  description: 'A preflightHash that is a prefix (16 hex characters or more) of the recomputed impact hash is taken as equal to it.',
  hooks: {
    preflightHashMatches: (next) => (supplied, recomputed) => (supplied.length >= 16 && recomputed.startsWith(supplied)) || next(supplied, recomputed),
  },
} as const satisfies FaultDef;
