import { statusFor } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-forbidden',
  clauses: ['ENV.status.forbidden'],
  description: "agent.forbidden (an app without an actor) is sent with HTTP 401 instead of the registry's status.",
  hooks: statusFor('agent.forbidden', 401),
} as const satisfies FaultDef;
