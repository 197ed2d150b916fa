import type { FaultDef } from './fault.js';

/** Whether the POST /actions being answered asks to execute at once, per runtime (its body is read before the handler). */
const executing = new WeakMap<object, boolean>();

export const fault = {
  name: 'tenant-skipped-on-execute',
  clauses: ['TENANT.boundary.actions'],
  description: "POST /actions with execute: true skips the tenant boundary: another tenant's key auto-executes a low- or medium-risk write on this tenant's data under its own window; drafts and preflights are refused.",
  hooks: {
    requestBody: (next, env) => (route, body) => {
      executing.set(env.store, route === 'POST /actions' && body.execute === true);
      return next(route, body);
    },
    crossTenant: (next, env) => (at, tool) => (at === 'write' && executing.get(env.store) ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
