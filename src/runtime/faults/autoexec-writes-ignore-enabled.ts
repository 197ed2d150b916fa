import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-writes-ignore-enabled',
  clauses: ['AUTOEXEC.writes.enabled'],
  description: 'A writes window with enabled:false still opens for low/medium writes.',
  hooks: {
    autoExecuteWindow: (next) => (cfg, tool) => {
      const w = next(cfg, tool);
      return w && tool.risk !== 'high' ? { ...w, enabled: true } : w;
    },
  },
} as const satisfies FaultDef;
