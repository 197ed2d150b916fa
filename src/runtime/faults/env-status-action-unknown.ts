import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-action-unknown',
  clauses: ['ENV.status.action_unknown'],
  description: "agent.action_unknown is sent with HTTP 404 instead of the registry's status.",
  hooks: statusFor('agent.action_unknown', 404),
} as const satisfies FaultDef;
