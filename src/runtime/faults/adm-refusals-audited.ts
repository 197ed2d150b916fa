import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-refusals-audited',
  clauses: ['ADM.refused.no-audit'],
  description: 'The limiter writes an audit event for every request it refuses (a retry storm becomes an audit flood).',
  hooks: {
    admit: (next, env) => (keyId, ip) => {
      const a = next(keyId, ip);
      const key = env.store.keys.get(keyId);
      if (!a.ok && key) {
        env.audit.record({ app_id: key.app_id, key_id: keyId, actor_user_id: null, performed_by_user_id: null, action: 'agent.rate_limited', status: 'denied', code: 'agent.rate_limited', ip, details: null });
      }
      return a;
    },
  },
} as const satisfies FaultDef;
