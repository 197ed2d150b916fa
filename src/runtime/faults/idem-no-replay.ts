import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-no-replay',
  breaks: 'IDEM-002',
  description: 'A repeated idempotency key executes again instead of replaying.',
} as const satisfies FaultDef;
