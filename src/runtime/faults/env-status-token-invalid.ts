import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-token-invalid',
  clauses: ['ENV.status.token_invalid'],
  description: "agent.token_invalid is sent with HTTP 403 instead of the registry's status.",
  hooks: statusFor('agent.token_invalid', 403),
} as const satisfies FaultDef;
