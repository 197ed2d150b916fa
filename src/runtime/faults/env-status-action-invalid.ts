import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-action-invalid',
  clauses: ['ENV.status.action_invalid'],
  description: "agent.action_invalid is sent with HTTP 422 instead of the registry's status.",
  hooks: statusFor('agent.action_invalid', 422),
} as const satisfies FaultDef;
