import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-revocation-cache',
  breaks: 'AUTHN-004',
  description: 'Key lookups are cached for 60 s, so a revoked key keeps working.',
} as const satisfies FaultDef;
