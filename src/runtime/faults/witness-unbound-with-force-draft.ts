import { actionBody, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'witness-unbound-with-force-draft',
  clauses: ['WITNESS.draft-binds.at-creation'],
  description: 'A draft requested with forceDraft: true binds no witness, so its approval after drift executes; other drafts bind theirs.',
  hooks: {
    requestBody: noteAction,
    draftWitness: (next, env) => (requested, preflighted, current) => (actionBody(env)?.forceDraft === true ? null : next(requested, preflighted, current)),
  },
} as const satisfies FaultDef;
