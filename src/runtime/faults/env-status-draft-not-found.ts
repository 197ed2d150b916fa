import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-draft-not-found',
  clauses: ['ENV.status.draft_not_found'],
  description: "agent.draft_not_found is sent with HTTP 400 instead of the registry's status.",
  hooks: statusFor('agent.draft_not_found', 400),
} as const satisfies FaultDef;
