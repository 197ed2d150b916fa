import type { FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-cross-read',
  clauses: ['TENANT.boundary.read'],
  description: 'The transactions listing skips the tenant check of the ledger.',
  hooks: {
    crossTenant: (next) => (at) => (at === 'read' ? null : next(at)),
  },
} as const satisfies FaultDef;
