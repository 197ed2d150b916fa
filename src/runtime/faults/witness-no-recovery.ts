import type { FaultDef } from './fault.js';

/** The runtimes (by their store) in which some draft has failed closed on a stale witness. */
const locked = new WeakSet<object>();

export const fault = {
  name: 'witness-no-recovery',
  clauses: ['WITNESS.recovery'],
  description: 'Once a draft fails closed on a stale State Witness, review is locked: no later draft can be approved, so a client cannot start over from a fresh preflight.',
  hooks: {
    // Two hooks: the witness failure is where the lock is set, the review decision is where it bites.
    draftStatusOnStaleWitness: (next, env) => () => {
      locked.add(env.store);
      return next();
    },
    reviewable: (next, env) => (status, decision) => !(decision === 'approve' && locked.has(env.store)) && next(status, decision),
  },
} as const satisfies FaultDef;
