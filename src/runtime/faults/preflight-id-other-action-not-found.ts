import type { FaultDef } from './fault.js';
import { recode } from './reply-data.js';

export const fault = {
  name: 'preflight-id-other-action-not-found',
  clauses: ['PREFLIGHT.id.action-differs'],
  description: 'A preflightId used for another action is refused as agent.preflight_not_found instead of 400 agent.preflight_mismatch.',
  // The only refusal (not autoExecuteDeniedCode) with code preflight_mismatch is the preflightId's other action.
  hooks: recode('agent.preflight_mismatch', 'agent.preflight_not_found'),
} as const satisfies FaultDef;
