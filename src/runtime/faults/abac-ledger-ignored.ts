import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ledger-ignored',
  breaks: 'ABAC-003',
  description: "The data policy's container allow-list (allowed_ledger_ids in the demo) is ignored.",
  hooks: {
    allowedContainers: () => () => null,
  },
} as const satisfies FaultDef;
