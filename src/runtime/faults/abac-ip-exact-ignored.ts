import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ip-exact-ignored',
  clauses: ['ABAC.ip.exact'],
  description: 'allowed_ips matches CIDR entries only: a client at an exactly listed address is refused.',
  hooks: {
    ipAllowed: (next) => (ip, entries) => next(ip, entries.filter((e) => e.includes('/'))),
  },
} as const satisfies FaultDef;
