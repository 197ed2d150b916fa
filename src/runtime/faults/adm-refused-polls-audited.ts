import type { FaultDef } from './fault.js';

/** The path of the agent request being answered (per runtime; each request sets it before admission). */
const pathOf = new WeakMap<object, string>();

export const fault = {
  name: 'adm-refused-polls-audited',
  clauses: ['ADM.refused.no-audit'],
  description: 'Each draft poll (GET /drafts/{id}) refused with 429 writes a denied audit event with code agent.rate_limited; refused actions and preflights leave none.',
  hooks: {
    // The last hook that sees the request before admission control: it notes the path, for the draft id.
    requestTenant: (next, env) => (app, req, query) => {
      pathOf.set(env.store, req.path);
      return next(app, req, query);
    },
    admit: (next, env) => (keyId, ip, route) => {
      const a = next(keyId, ip, route);
      const key = env.store.keys.get(keyId);
      if (!a.ok && key && route === 'GET /drafts/:id') {
        const id = /\/drafts\/([^/?]+)/.exec(pathOf.get(env.store) ?? '')?.[1];
        env.audit.record({ app_id: key.app_id, key_id: keyId, actor_user_id: null, performed_by_user_id: null, action: 'agent.draft.read', status: 'denied', code: 'agent.rate_limited', draft_id: id ? decodeURIComponent(id) : null, ip, details: null });
      }
      return a;
    },
  },
} as const satisfies FaultDef;
