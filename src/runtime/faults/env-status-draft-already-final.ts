import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-draft-already-final',
  clauses: ['ENV.status.draft_already_final'],
  description: "agent.draft_already_final is sent with HTTP 409 instead of the registry's status.",
  hooks: statusFor('agent.draft_already_final', 409),
} as const satisfies FaultDef;
