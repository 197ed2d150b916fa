import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-high-risk-ignore-allowed',
  clauses: ['AUTOEXEC.high_risk.allowed_actions'],
  description: "The high_risk window's allowed_actions is never enforced (the writes window's still is).",
  hooks: {
    autoExecuteWindow: (next) => (cfg, tool) => {
      const w = next(cfg, tool);
      return w && tool.risk === 'high' ? { ...w, allowed_actions: null } : w;
    },
  },
} as const satisfies FaultDef;
