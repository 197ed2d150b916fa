import type { HookEnv } from '../hooks.js';
import type { FaultDef } from './fault.js';

/** Per runtime: whether the Authorization header last read spelled its scheme other than "Bearer " or "bearer " (one space). */
const odd = new WeakMap<HookEnv, boolean>();

export const fault = {
  name: 'authn-revoked-odd-scheme',
  clauses: ['AUTHN.token.revoked', 'FUZZ.abuse.stolen-token'],
  bindings: ['http'],
  description: 'A revoked key is accepted when its Authorization header spells the scheme "BEARER" or puts two spaces before the token (read by another code path that skips the revocation); "Bearer x" and "bearer x" are refused.',
  hooks: {
    bearerToken: (next, env) => (authorization) => {
      odd.set(env, !/^[Bb]earer \S/.test(authorization));
      return next(authorization);
    },
    lookupKey: (next, env) => (tokenHash) => {
      const key = next(tokenHash);
      const skip = odd.get(env) === true;
      odd.set(env, false);
      return key && skip ? { ...key, revoked_at: null } : key;
    },
  },
} as const satisfies FaultDef;
