import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-expiry-grace-short',
  clauses: ['AUTHN.token.expired'],
  description: 'A key stays valid for 1.5 s past its expires_at (a short "clock skew" grace the brief does not allow); one that expired 2 s ago is refused.',
  hooks: {
    keyExpired: (_next, env) => (key) => key.expires_at !== null && Date.parse(key.expires_at) + 1_500 <= env.now(),
  },
} as const satisfies FaultDef;
