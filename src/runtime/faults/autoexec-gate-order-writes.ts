import type { FaultDef } from './fault.js';
import { swapGates } from './gates.js';

export const fault = {
  name: 'autoexec-gate-order-writes',
  clauses: ['AUTOEXEC.writes.gate-order'],
  description: 'A low/medium execute is tried against allowed_actions before the window expiry: an expired window that does not list the action answers auto_execute_denied.',
  hooks: {
    autoExecuteGates: (next) => (gates, tool) => (tool.risk === 'high' ? next(gates, tool) : swapGates(next(gates, tool), 'expires_at', 'allowed_actions')),
  },
} as const satisfies FaultDef;
