import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-scoped-globally',
  clauses: ['IDEM.scope.other-app'],
  description: "An idempotencyKey is shared by every app: another app's request with the same key replays this app's execution.",
  hooks: {
    idempotencyScope: () => () => 'every-app',
  },
} as const satisfies FaultDef;
