import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-skip-compare',
  clauses: ['PREFLIGHT.gate.hash-equal', 'PREFLIGHT.execute.changed-payload', 'FUZZ.abuse.payload-swap'],
  description: 'A supplied preflightHash is accepted without comparing it to the recomputed impact hash.',
  hooks: {
    preflightHashMatches: () => () => true,
  },
} as const satisfies FaultDef;
