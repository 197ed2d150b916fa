import type { FaultDef } from './fault.js';

export const fault = {
  name: 'abac-trust-forwarded-for',
  breaks: 'ABAC-006',
  description: 'The client IP is taken from a client-supplied X-Forwarded-For header when one is present.',
} as const satisfies FaultDef;
