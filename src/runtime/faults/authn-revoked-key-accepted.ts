import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-revoked-key-accepted',
  clauses: ['AUTHN.token.revoked', 'FUZZ.abuse.stolen-token'],
  description: 'Step 2 ignores a key\'s revocation: a revoked key of a live app keeps working.',
  hooks: {
    lookupKey: (next) => (tokenHash) => {
      const key = next(tokenHash);
      return key && { ...key, revoked_at: null };
    },
  },
} as const satisfies FaultDef;
