import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-high-risk-allowed-sampled-only',
  clauses: ['AUTOEXEC.high_risk.allowed_actions'],
  description: "The high_risk window's allowed_actions is not enforced for the high-risk tools after the domain's first: a window allowing only the demo's transaction.delete auto-executes a permanent delete.",
  hooks: {
    windowAllows: (next, env) => (w, tool) => laterOfRisk(env, tool.name, 'high') || next(w, tool),
  },
} as const satisfies FaultDef;
