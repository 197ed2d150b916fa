import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-orgs-ignored',
  clauses: ['ABAC.data.orgs.read', 'ABAC.data.orgs.write'],
  description: 'The data policy allowed_org_ids is ignored (reads and writes).',
  hooks: {
    allowedOrgs: () => () => null,
  },
} as const satisfies FaultDef;
