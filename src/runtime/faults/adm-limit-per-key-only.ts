import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-limit-per-key-only',
  clauses: ['ADM.limit.per-client-ip'],
  // ADM-004 sends from a second address over the HTTP binding only (an MCP session is one connection).
  bindings: ['http'],
  description: 'The rate limit counts per key only: a key past its limit from one client address is refused from every other address too.',
  hooks: {
    admit: (next) => (keyId, _ip, route) => next(keyId, '*', route),
  },
} as const satisfies FaultDef;
