import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-cidr-broken',
  breaks: 'ABAC-002',
  description: 'CIDR allowlist entries never match; only exact IPs do.',
  hooks: {
    ipAllowed: (next) => (ip, entries) => next(ip, entries.filter((e) => !e.includes('/'))),
  },
} as const satisfies FaultDef;
