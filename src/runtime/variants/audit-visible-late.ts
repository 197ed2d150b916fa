import type { VariantDef } from './variant.js';

/** How long after a listing could first have shown it an event shows in GET /audit. */
const LAG_MS = 3000;

/** When each event was first held back, on the window clock (the one a client's waits run on, in-process too). */
const heldSince = new WeakMap<object, Map<string, number>>();

export const variant: VariantDef = {
  name: 'audit-visible-late',
  description: `GET /audit shows an event only ${LAG_MS} ms after the first listing it could have appeared in, as an asynchronous audit sink does.`,
  allowedBy: 'Brief section 10 asks for audit events across allow, deny and fail paths, read with GET /api/agent-admin/v1/audit; it does not say how soon after the request an event is readable.',
  hooks: {
    replyData: (next, env) => (plane, route, data) => {
      const d = next(plane, route, data);
      const items = plane === 'admin' && route === 'GET /audit' ? (d as { items?: unknown }).items : undefined;
      if (!Array.isArray(items)) return d;
      let since = heldSince.get(env.audit);
      if (!since) heldSince.set(env.audit, (since = new Map()));
      const now = env.windowNow();
      const shown = items.filter((e) => {
        const id = String((e as { id?: unknown })?.id);
        const first = since.get(id) ?? now;
        since.set(id, first);
        return now - first >= LAG_MS;
      });
      return { ...(d as object), items: shown };
    },
  },
};
