import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-cross-draft',
  clauses: ['TENANT.boundary.actions'],
  description: "POST /actions skips the tenant check: another tenant's write on this tenant's resource is drafted (and runs once approved).",
  hooks: {
    crossTenant: (next) => (at) => (at === 'write' ? null : next(at)),
  },
} as const satisfies FaultDef;
