import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-mismatch',
  breaks: 'ENV-003',
  description: 'agent.scope_denied and agent.policy_denied are sent with HTTP 400 instead of 403.',
} as const satisfies FaultDef;
