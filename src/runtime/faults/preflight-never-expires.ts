import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-never-expires',
  clauses: ['PREFLIGHT.id.expires'],
  description: 'A preflightId stays usable after its ten minutes.',
  hooks: {
    preflightLive: () => () => true,
  },
} as const satisfies FaultDef;
