import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-race',
  clauses: ['IDEM.concurrent.one-execution'],
  description: 'An await sits between the idempotency lookup and the reservation, so concurrent requests all run.',
  hooks: {
    // Yielding here lets concurrent requests all pass the lookup before any of them reserves the key.
    idempotencyReservationGap: () => () => new Promise((resolve) => setImmediate(resolve)),
  },
} as const satisfies FaultDef;
