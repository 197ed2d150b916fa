import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-writes-cover-high-risk',
  clauses: ['AUTOEXEC.writes.low-medium-only'],
  description: 'High-risk writes use the low/medium `writes` auto-execute window.',
  hooks: {
    autoExecuteWindow: () => (cfg) => cfg.writes,
  },
} as const satisfies FaultDef;
