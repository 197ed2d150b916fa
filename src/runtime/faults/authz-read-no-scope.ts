import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-read-no-scope',
  breaks: 'AUTHZ-001',
  description: 'The container read (GET /transactions in the demo) skips its scope check.',
} as const satisfies FaultDef;
