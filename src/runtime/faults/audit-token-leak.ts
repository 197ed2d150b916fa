import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-token-leak',
  breaks: 'AUDIT-004',
  description: 'Audit event details include the raw Authorization header.',
} as const satisfies FaultDef;
