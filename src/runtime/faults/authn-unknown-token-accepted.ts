import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-unknown-token-accepted',
  clauses: ['AUTHN.token.unknown'],
  description: 'A well-formed token that names no key authenticates as the oldest live key (a lookup that falls back instead of refusing).',
  hooks: {
    lookupKey: (next, env) => (tokenHash) => next(tokenHash) ?? [...env.store.keys.values()].find((k) => k.revoked_at === null),
  },
} as const satisfies FaultDef;
