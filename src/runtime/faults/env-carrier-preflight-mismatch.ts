import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-preflight-mismatch',
  clauses: ['ENV.carrier.preflight_mismatch'],
  description: 'An auto-execution refused for a preflightHash that differs from the recomputed one is answered HTTP 400 agent.preflight_mismatch instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.preflight_mismatch'),
} as const satisfies FaultDef;
