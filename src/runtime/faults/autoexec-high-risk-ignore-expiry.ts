import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-high-risk-ignore-expiry',
  clauses: ['AUTOEXEC.high_risk.expires_at'],
  description: "The high_risk window's expires_at is never enforced (the writes window's still is).",
  hooks: {
    autoExecuteWindow: (next) => (cfg, tool) => {
      const w = next(cfg, tool);
      return w && tool.risk === 'high' ? { ...w, expires_at: null } : w;
    },
  },
} as const satisfies FaultDef;
