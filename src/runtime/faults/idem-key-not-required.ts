import type { FaultDef } from './fault.js';
import { withoutGate } from './gates.js';

export const fault = {
  name: 'idem-key-not-required',
  clauses: ['IDEM.gate.key-present'],
  description: 'A high-risk execute without an idempotencyKey passes the auto-execute gates, whatever require_idempotency says.',
  hooks: {
    autoExecuteGates: (next) => (gates, tool) => withoutGate(next(gates, tool), 'idempotencyKey'),
  },
} as const satisfies FaultDef;
