import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-auth-header-crash',
  clauses: ['FUZZ.no-5xx.agent.headers'],
  description: 'An Authorization header with more than two space-separated parts crashes the token parser: 500.',
  hooks: {
    bearerToken: (next) => (authorization) => {
      if (authorization.trim().split(/\s+/).length > 2) throw new TypeError("Cannot read properties of undefined (reading 'startsWith')");
      return next(authorization);
    },
  },
} as const satisfies FaultDef;
