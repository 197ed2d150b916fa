import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ledger-ignored',
  clauses: ['ABAC.data.containers.read', 'ABAC.data.containers.write'],
  description: "The data policy's container allow-list (allowed_ledger_ids in the demo) is ignored.",
  hooks: {
    allowedContainers: () => () => null,
  },
} as const satisfies FaultDef;
