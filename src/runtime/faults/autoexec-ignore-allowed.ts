import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-ignore-allowed',
  clauses: ['AUTOEXEC.writes.allowed_actions', 'AUTOEXEC.high_risk.allowed_actions'],
  description: 'Auto-execute allowed_actions is not checked.',
  hooks: {
    windowAllows: () => () => true,
  },
} as const satisfies FaultDef;
