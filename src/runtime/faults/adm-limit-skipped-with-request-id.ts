import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-limit-skipped-with-request-id',
  clauses: ['ADM.limit.per-key.spans-routes', 'ADM.refused.code'],
  // An MCP message carries no X-Request-Id of its own.
  bindings: ['http'],
  description: 'A request carrying an X-Request-Id header is neither counted nor refused by the rate limiter: a key past its limit is admitted again once it sends one.',
  hooks: {
    admit: (next) => (keyId, ip, route, requestId) => (requestId ? { ok: true, resetSeconds: 60 } : next(keyId, ip, route, requestId)),
  },
} as const satisfies FaultDef;
