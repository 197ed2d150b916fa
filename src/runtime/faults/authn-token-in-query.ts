import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-token-in-query',
  clauses: ['AUTHN.carrier.bearer'],
  description: 'An ?access_token= query parameter authenticates when no Authorization header is sent.',
  hooks: {
    credentialFromQuery: () => (query) => query.get('access_token'),
  },
} as const satisfies FaultDef;
