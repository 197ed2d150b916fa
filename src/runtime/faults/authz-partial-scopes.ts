import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authz-partial-scopes',
  breaks: 'AUTHZ-002',
  description: 'Tools with several required scopes check only their first scope.',
} as const satisfies FaultDef;
