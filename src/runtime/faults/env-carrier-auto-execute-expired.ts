import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-auto-execute-expired',
  clauses: ['ENV.carrier.auto_execute_expired'],
  description: 'An auto-execution refused for an expired window is answered HTTP 400 agent.auto_execute_expired instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.auto_execute_expired'),
} as const satisfies FaultDef;
