import type { FaultDef } from './fault.js';

/** Whether the app of the request being authenticated names containers in its data policy's allow-list, per runtime (noted by requestTenant). */
const listsContainers = new WeakMap<object, boolean>();

export const fault = {
  name: 'tenant-skipped-for-allow-listed-container',
  clauses: ['TENANT.boundary.read'],
  description: "The tenant boundary is not checked for an app whose data policy allow-lists containers: another tenant's app that lists this tenant's container (the demo's allowed_ledger_ids [ledger_main]) reads, previews and drafts its data (the same app without an allow-list is refused).",
  hooks: {
    requestTenant: (next, env) => (app, req, query) => {
      const data = (app.policy as { data?: Record<string, unknown> }).data ?? {};
      listsContainers.set(env.store, Object.entries(data).some(([k, v]) => k !== 'allowed_org_ids' && Array.isArray(v) && v.length > 0));
      return next(app, req, query);
    },
    crossTenant: (next, env) => (at, tool) => (listsContainers.get(env.store) === true ? null : next(at, tool)),
  },
} as const satisfies FaultDef;
