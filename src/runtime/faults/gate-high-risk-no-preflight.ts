import { highRiskWindow } from './deploy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-high-risk-no-preflight',
  clauses: ['GATE.deploy.high-risk-preflight-gated'],
  description: 'The runtime deploys its bootstrap app with high-risk auto-execution enabled and require_preflight false.',
  hooks: {
    bootstrapAutoExecute: (_next, env) => (tools) => ({ high_risk: highRiskWindow(tools, env.now(), { require_preflight: false }) }),
  },
} as const satisfies FaultDef;
