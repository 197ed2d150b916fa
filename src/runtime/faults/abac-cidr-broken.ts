import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-cidr-broken',
  clauses: ['ABAC.ip.ipv4-cidr'],
  description: 'CIDR allowlist entries never match; only exact IPs do.',
  hooks: {
    ipAllowed: (next) => (ip, entries) => next(ip, entries.filter((e) => !e.includes('/'))),
  },
} as const satisfies FaultDef;
