import { highRiskWindow } from './deploy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-high-risk-no-idempotency',
  clauses: ['GATE.deploy.high-risk-idempotency-gated'],
  description: 'The runtime deploys its bootstrap app with high-risk auto-execution enabled and require_idempotency false.',
  hooks: {
    bootstrapAutoExecute: (_next, env) => (tools) => ({ high_risk: highRiskWindow(tools, env.now(), { require_idempotency: false }) }),
  },
} as const satisfies FaultDef;
