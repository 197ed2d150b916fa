import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

/** Keys the limiter refused, and when it last did. */
const refusedAt = new WeakMap<object, Map<string, number>>();

export const fault = {
  name: 'adm-limit-before-revocation',
  clauses: ['AUTHN.order.sequence'],
  description: 'A key the limiter refused is answered 429 for a window after its last refusal even once it is revoked: the limit is looked up before the key is (step 7 before step 2).',
  hooks: {
    admit: (next, env) => (keyId, ip, route) => {
      const a = next(keyId, ip, route);
      if (!a.ok) {
        const mine = refusedAt.get(env) ?? new Map<string, number>();
        refusedAt.set(env, mine);
        mine.set(keyId, env.windowNow());
      }
      return a;
    },
    lookupKey: (next, env) => (tokenHash) => {
      const key = next(tokenHash);
      const at = key && refusedAt.get(env)?.get(key.id);
      if (key && key.revoked_at !== null && at !== undefined && env.windowNow() - at < env.limiter.windowMs) throw new ApiError('agent.rate_limited', 'Rate limit exceeded');
      return key;
    },
  },
} as const satisfies FaultDef;
