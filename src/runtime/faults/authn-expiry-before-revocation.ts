import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-expiry-before-revocation',
  clauses: ['AUTHN.order.sequence'],
  description: 'Expiry (step 3) is judged before revocation (step 2): a revoked key past its expiry is answered 401 agent.token_expired.',
  hooks: {
    lookupKey: (next, env) => (tokenHash) => {
      const key = next(tokenHash);
      const expired = key?.expires_at != null && Date.parse(key.expires_at) <= env.now();
      return key && expired ? { ...key, revoked_at: null } : key;
    },
  },
} as const satisfies FaultDef;
