import { refusalAsError } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-carrier-idempotency-required',
  clauses: ['ENV.carrier.idempotency_required'],
  description: 'An auto-execution refused for a missing idempotencyKey is answered HTTP 400 agent.idempotency_required instead of HTTP 200 with the draft and autoExecuteDeniedCode.',
  hooks: refusalAsError('agent.idempotency_required'),
} as const satisfies FaultDef;
