import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-preflight-leak',
  clauses: ['TENANT.boundary.preflight'],
  description: "Preflight skips the tenant check and returns the foreign resource's impact.",
  hooks: {
    crossTenant: (next) => (at) => (at === 'preflight' ? null : next(at)),
  },
} as const satisfies FaultDef;
