import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ip-ignored',
  clauses: ['ABAC.ip.outside-denied'],
  description: 'The network IP allowlist is never enforced.',
  hooks: {
    ipAllowed: () => () => true,
  },
} as const satisfies FaultDef;
