import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-read-no-scope',
  breaks: 'AUTHZ-001',
  description: 'GET /transactions skips the transaction.read scope check.',
} as const satisfies FaultDef;
