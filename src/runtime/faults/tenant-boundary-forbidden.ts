import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-boundary-forbidden',
  clauses: ['TENANT.boundary.policy_denied'],
  description: "A resource outside the app's tenant is refused with 403 agent.forbidden (the misconfigured-app code) instead of agent.policy_denied.",
  hooks: {
    crossTenant: () => () => new ApiError('agent.forbidden', "Resource is outside this app's tenant"),
  },
} as const satisfies FaultDef;
