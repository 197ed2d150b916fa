import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-any-scheme',
  clauses: ['AUTHN.token.well-formed'],
  description: 'The Authorization header is read as "<any scheme> <token>": the real token under "Token" or "Basic" authenticates.',
  hooks: {
    bearerToken: (next) => (authorization) => next(authorization) ?? /^\S+ +(\S+) *$/.exec(authorization)?.[1] ?? null,
  },
} as const satisfies FaultDef;
