import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-race',
  breaks: 'IDEM-003',
  description: 'An await sits between the idempotency lookup and the reservation, so concurrent requests all run.',
} as const satisfies FaultDef;
