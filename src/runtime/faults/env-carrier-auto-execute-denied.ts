import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-auto-execute-denied',
  clauses: ['ENV.carrier.auto_execute_denied'],
  description: 'An auto-execution refused for an action outside allowed_actions is answered HTTP 400 agent.auto_execute_denied instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.auto_execute_denied'),
} as const satisfies FaultDef;
