import { asksToExecute, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'tenant-skipped-on-execute',
  clauses: ['TENANT.boundary.actions'],
  description: "POST /actions with execute: true skips the tenant boundary: another tenant's key auto-executes a low- or medium-risk write on this tenant's data under its own window; drafts and preflights are refused.",
  hooks: {
    requestBody: noteAction,
    crossTenant: (next, env) => (at, tool) => (at === 'write' && asksToExecute(env) ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
