import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-auto-execute-disabled',
  clauses: ['ENV.carrier.auto_execute_disabled'],
  description: 'An auto-execution refused for a disabled window is answered HTTP 400 agent.auto_execute_disabled instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.auto_execute_disabled'),
} as const satisfies FaultDef;
