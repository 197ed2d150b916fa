import { actionAsked, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'idem-race-high-risk',
  clauses: ['IDEM.concurrent.one-execution'],
  description: 'For high-risk tools only, a pause sits between the idempotency lookup and the reservation, so concurrent identical high-risk executes all run; concurrent creates still share one execution.',
  hooks: {
    requestBody: noteAction,
    // Concurrent requests of a high-risk tool all pass the lookup before any of them reserves the key.
    idempotencyReservationGap: (next, env) => () => {
      const high = env.tools.find((t) => t.name === actionAsked(env))?.risk === 'high';
      return high ? new Promise<void>((resolve) => setTimeout(resolve, 100)) : next();
    },
  },
} as const satisfies FaultDef;
