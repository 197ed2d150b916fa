import type { FaultDef } from './fault.js';

/** The demo's write tools besides create, update and delete: the ones a suite sampling those three never sends. */
const UNSAMPLED = new Set(['transaction.hard_delete', 'transactions.export_csv']);

export const fault = {
  name: 'tenant-cross-unsampled-writes',
  clauses: ['TENANT.boundary.preflight', 'TENANT.boundary.actions'],
  description: "Preflight and POST /actions skip the tenant check for transaction.hard_delete and transactions.export_csv only: another tenant previews, drafts and (once approved) runs them on this tenant's rows.",
  hooks: {
    crossTenant: (next) => (at, tool) => (at !== 'read' && tool !== undefined && UNSAMPLED.has(tool) ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
