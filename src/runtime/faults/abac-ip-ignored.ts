import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ip-ignored',
  breaks: 'ABAC-001',
  description: 'The network IP allowlist is never enforced.',
  hooks: {
    ipAllowed: () => () => true,
  },
} as const satisfies FaultDef;
