import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-preflight-no-scope',
  clauses: ['AUTHZ.scope.preflight'],
  description: "Preflight skips the write tool's scope check (POST /actions still checks it).",
  hooks: {
    checksWriteScopes: (next) => (at) => at !== 'preflight' && next(at),
  },
} as const satisfies FaultDef;
