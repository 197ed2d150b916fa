import { actionBody, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'witness-unbound-with-idempotency-key',
  clauses: ['WITNESS.draft-binds.at-creation'],
  description: 'A plain draft (no execute) that carries an idempotencyKey binds no witness, so its approval after drift executes; other drafts bind theirs.',
  hooks: {
    requestBody: noteAction,
    draftWitness: (next, env) => (requested, preflighted, current) => {
      const body = actionBody(env);
      return typeof body?.idempotencyKey === 'string' && body.execute !== true ? null : next(requested, preflighted, current);
    },
  },
} as const satisfies FaultDef;
