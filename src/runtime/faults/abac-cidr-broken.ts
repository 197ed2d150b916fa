import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-cidr-broken',
  breaks: 'ABAC-002',
  description: 'CIDR allowlist entries never match; only exact IPs do.',
} as const satisfies FaultDef;
