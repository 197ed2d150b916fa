import type { FaultDef } from './fault.js';

/** Whether the request being answered is a POST /actions carrying forceDraft: true, per runtime (noted by requestBody). */
const forced = new WeakMap<object, boolean>();

export const fault = {
  name: 'tenant-skipped-with-force-draft',
  clauses: ['TENANT.boundary.actions'],
  description: "The tenant boundary is not checked on POST /actions that carries forceDraft: true: another tenant's key drafts a write on this tenant's resource (the same request without forceDraft is refused 403 policy_denied; an approval still refuses to run it).",
  hooks: {
    requestBody: (next, env) => (route, body) => {
      forced.set(env.store, route === 'POST /actions' && (body as { forceDraft?: unknown }).forceDraft === true);
      return next(route, body);
    },
    crossTenant: (next, env) => (at, tool) => (at !== 'read' && forced.get(env.store) === true ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
