import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-rate-limited',
  clauses: ['ENV.status.rate_limited'],
  description: "agent.rate_limited is sent with HTTP 503 instead of the registry's status.",
  hooks: statusFor('agent.rate_limited', 503),
} as const satisfies FaultDef;
