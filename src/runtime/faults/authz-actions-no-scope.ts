import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-actions-no-scope',
  clauses: ['AUTHZ.scope.actions', 'AUTHZ.deny-by-default'],
  description: "POST /actions drafts a write without checking the tool's scopes (preflight still checks them).",
  hooks: {
    checksWriteScopes: (next) => (at) => at !== 'actions' && next(at),
  },
} as const satisfies FaultDef;
