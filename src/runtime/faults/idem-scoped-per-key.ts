import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-scoped-per-key',
  clauses: ['IDEM.scope.same-app'],
  description: 'An idempotencyKey is scoped per agent key: the same request from a second key of the app runs again.',
  hooks: {
    idempotencyScope: () => (_app, key) => key.id,
  },
} as const satisfies FaultDef;
