import { ipMatches } from '../policy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-network-before-expiry',
  clauses: ['AUTHN.order.sequence'],
  // Over MCP a call reaches a route only through a session the front opened for an unexpired key.
  bindings: ['http'],
  description: 'The network policy (step 6) is judged before expiry (step 3): an expired key from outside its app\'s allowed_ips is answered 403 agent.policy_denied, not 401 agent.token_expired.',
  hooks: {
    keyExpired: (next, env) => (key, req) => {
      const allowed = env.store.apps.get(key.app_id)?.policy.network?.allowed_ips ?? [];
      return allowed.length > 0 && !ipMatches(req.clientIp, allowed) ? false : next(key, req);
    },
  },
} as const satisfies FaultDef;
