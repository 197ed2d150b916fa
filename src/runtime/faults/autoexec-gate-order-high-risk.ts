import type { FaultDef } from './fault.js';
import { swapGates } from './gates.js';

export const fault = {
  name: 'autoexec-gate-order-high-risk',
  clauses: ['AUTOEXEC.high_risk.gate-order'],
  description: 'A high-risk execute is tried for preflightHash before idempotencyKey: a request lacking both answers preflight_required.',
  hooks: {
    autoExecuteGates: (next) => (gates, tool) => (tool.risk === 'high' ? swapGates(next(gates, tool), 'idempotencyKey', 'preflightHash') : next(gates, tool)),
  },
} as const satisfies FaultDef;
