import type { KeyRec } from '../store.js';
import type { FaultDef } from './fault.js';

const CACHE_MS = 60_000;

export const fault = {
  name: 'authn-revocation-cache',
  clauses: ['AUTHN.order.revoked-next-request', 'AUTHN.order.revoked-no-caching'],
  description: 'Key lookups are cached for 60 s, so a revoked key keeps working.',
  hooks: {
    lookupKey: (next, env) => {
      const cache = new Map<string, { key: KeyRec; at: number }>();
      return (tokenHash) => {
        const hit = cache.get(tokenHash);
        if (hit && env.now() - hit.at < CACHE_MS) return hit.key;
        const key = next(tokenHash);
        // A copy: the cached key keeps the state it had when cached, revocation included.
        if (key) cache.set(tokenHash, { key: { ...key }, at: env.now() });
        return key;
      };
    },
  },
} as const satisfies FaultDef;
