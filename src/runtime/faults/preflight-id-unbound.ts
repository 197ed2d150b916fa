import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-unbound',
  clauses: ['PREFLIGHT.binding.app', 'PREFLIGHT.binding.key', 'PREFLIGHT.binding.actor'],
  description: 'A preflightId is not bound to its app, key and actor.',
  hooks: {
    preflightBound: () => () => true,
  },
} as const satisfies FaultDef;
