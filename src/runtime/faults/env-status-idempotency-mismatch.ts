import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-idempotency-mismatch',
  clauses: ['ENV.status.idempotency_mismatch'],
  description: "agent.idempotency_mismatch is sent with HTTP 400 instead of the registry's status.",
  hooks: statusFor('agent.idempotency_mismatch', 400),
} as const satisfies FaultDef;
