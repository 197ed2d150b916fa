import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-precondition-failed',
  clauses: ['ENV.status.precondition_failed'],
  description: "agent.precondition_failed is sent with HTTP 400 instead of the registry's status.",
  hooks: statusFor('agent.precondition_failed', 400),
} as const satisfies FaultDef;
