import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-preflight-required',
  clauses: ['ENV.carrier.preflight_required'],
  description: 'An auto-execution refused for a missing preflightHash is answered HTTP 400 agent.preflight_required instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.preflight_required'),
} as const satisfies FaultDef;
