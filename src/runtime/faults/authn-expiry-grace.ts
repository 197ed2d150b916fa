import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-expiry-grace',
  clauses: ['AUTHN.token.expired'],
  description: 'A key stays valid for a minute past its expires_at (a "clock skew" grace the brief does not allow).',
  hooks: {
    keyExpired: (_next, env) => (key) => key.expires_at !== null && Date.parse(key.expires_at) + 60_000 <= env.now(),
  },
} as const satisfies FaultDef;
