import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-high-risk-ignore-enabled',
  clauses: ['AUTOEXEC.high_risk.enabled'],
  description: 'A high_risk window with enabled:false still opens for high-risk writes.',
  hooks: {
    autoExecuteWindow: (next) => (cfg, tool) => {
      const w = next(cfg, tool);
      return w && tool.risk === 'high' ? { ...w, enabled: true } : w;
    },
  },
} as const satisfies FaultDef;
