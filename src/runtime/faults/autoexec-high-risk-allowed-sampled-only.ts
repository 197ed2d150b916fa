import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-high-risk-allowed-sampled-only',
  clauses: ['AUTOEXEC.high_risk.allowed_actions'],
  description: "The high_risk window's allowed_actions is not enforced for transaction.hard_delete: a window allowing only transaction.delete auto-executes a permanent delete.",
  hooks: {
    windowAllows: (next) => (w, tool) => tool.name === 'transaction.hard_delete' || next(w, tool),
  },
} as const satisfies FaultDef;
