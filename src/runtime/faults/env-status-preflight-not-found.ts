import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-preflight-not-found',
  clauses: ['ENV.status.preflight_not_found'],
  description: "agent.preflight_not_found is sent with HTTP 404 instead of the registry's status.",
  hooks: statusFor('agent.preflight_not_found', 404),
} as const satisfies FaultDef;
