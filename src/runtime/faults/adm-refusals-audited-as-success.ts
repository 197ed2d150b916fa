import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-refusals-audited-as-success',
  clauses: ['ADM.refused.no-audit'],
  description: "The limiter writes an audit event with status success and the route's action for every request it refuses (a refusal that does not look like one in the log).",
  hooks: {
    admit: (next, env) => (keyId, ip, route) => {
      const a = next(keyId, ip, route);
      const key = env.store.keys.get(keyId);
      if (!a.ok && key) {
        env.audit.record({ app_id: key.app_id, key_id: keyId, actor_user_id: null, performed_by_user_id: null, action: `agent.request ${route ?? ''}`.trim(), status: 'success', ip, details: null });
      }
      return a;
    },
  },
} as const satisfies FaultDef;
