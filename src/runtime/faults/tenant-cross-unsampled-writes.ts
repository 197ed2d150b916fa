import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-cross-unsampled-writes',
  clauses: ['TENANT.boundary.preflight', 'TENANT.boundary.actions'],
  description: "Preflight and POST /actions skip the tenant check for the high-risk write tools after the domain's first (the demo's transaction.hard_delete and transactions.export_csv): another tenant previews, drafts and (once approved) runs them on this tenant's rows.",
  hooks: {
    crossTenant: (next, env) => (at, tool) => (at !== 'read' && laterOfRisk(env, tool, 'high') ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
