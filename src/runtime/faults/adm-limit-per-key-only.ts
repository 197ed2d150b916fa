import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-limit-per-key-only',
  clauses: ['ADM.limit.per-client-ip'],
  description: 'The rate limit counts per key only: a key past its limit from one client address is refused from every other address too.',
  hooks: {
    admit: (next) => (keyId, _ip, route) => next(keyId, '*', route),
  },
} as const satisfies FaultDef;
