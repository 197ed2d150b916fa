import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-expiry-skipped-with-page',
  clauses: ['AUTHN.token.expired'],
  // Over MCP a call reaches a route only through a session the front opened for an unexpired key.
  bindings: ['http'],
  description: 'An expired key is admitted on a GET whose query names `page` (a paged read); every other request of the key is 401 token_expired.',
  hooks: {
    keyExpired: (next) => (key, req) => (req.method === 'GET' && new URLSearchParams(req.path.split('?')[1] ?? '').has('page') ? false : next(key, req)),
  },
} as const satisfies FaultDef;
