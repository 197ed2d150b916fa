import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-limit-per-route',
  clauses: ['ADM.limit.per-key.spans-routes'],
  description: 'The rate limit counts per (key, client IP, route): a key past its limit on one route is still admitted on the others.',
  hooks: {
    admit: (next) => (keyId, ip, route) => next(`${keyId} ${route ?? ''}`, ip, route),
  },
} as const satisfies FaultDef;
