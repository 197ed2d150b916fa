import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-not-found',
  clauses: ['ENV.status.not_found'],
  description: "agent.not_found is sent with HTTP 400 instead of the registry's status.",
  hooks: statusFor('agent.not_found', 400),
} as const satisfies FaultDef;
