import type { FaultDef } from './fault.js';
import { withoutGate } from './gates.js';

export const fault = {
  name: 'autoexec-no-justification-gate',
  clauses: ['AUTOEXEC.high_risk.justification'],
  description: 'A high-risk execute without a justification passes the auto-execute gates.',
  hooks: {
    autoExecuteGates: (next) => (gates, tool) => withoutGate(next(gates, tool), 'justification'),
  },
} as const satisfies FaultDef;
