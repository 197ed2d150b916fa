import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-ip-short-prefix-any',
  clauses: ['ABAC.ip.outside-denied'],
  description: 'An allowlist entry that is an IPv4 CIDR with a prefix shorter than /16 (10.0.0.0/8) admits every client; longer prefixes and exact IPs still match as they should.',
  hooks: {
    ipAllowed: (next) => (ip, entries) => entries.some((e) => { const m = /\/(\d+)$/.exec(e); return m !== null && Number(m[1]) < 16; }) || next(ip, entries),
  },
} as const satisfies FaultDef;
