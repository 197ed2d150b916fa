import type { FaultDef } from './fault.js';

export const fault = {
  name: 'write-draft-drops-idempotency-key',
  clauses: ['WRITE.draft.idempotency-key'],
  description:
    'A draft left for review does not carry its idempotencyKey: its approved execution is recorded under no key, so a later execute with the key runs the write again.',
  hooks: {
    draftIdempotencyKey: (next) => (key, executes) => (executes ? next(key, executes) : null),
  },
} as const satisfies FaultDef;
