import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-token-expired',
  clauses: ['ENV.status.token_expired'],
  description: "agent.token_expired is sent with HTTP 403 instead of the registry's status.",
  hooks: statusFor('agent.token_expired', 403),
} as const satisfies FaultDef;
