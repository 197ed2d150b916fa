import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-missing-container-empty',
  clauses: ['TENANT.resource-exists'],
  description: 'A read naming a container that does not exist answers 200 with no rows instead of 404 agent.not_found.',
  hooks: {
    missingContainer: () => () => null,
  },
} as const satisfies FaultDef;
