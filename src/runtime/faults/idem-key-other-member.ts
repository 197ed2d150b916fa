import type { FaultDef } from './fault.js';

export const fault = {
  name: 'idem-key-other-member',
  clauses: ['IDEM.key.body-field'],
  description: 'The idempotency key is read from an idempotency_key body member: an idempotencyKey is ignored, so a repeated execute runs again.',
  hooks: {
    idempotencyKeyField: () => () => 'idempotency_key',
  },
} as const satisfies FaultDef;
