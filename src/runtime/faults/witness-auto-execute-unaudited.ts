import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-auto-execute-unaudited',
  clauses: ['WITNESS.fail-closed.auto-execute.denied-audit'],
  description: 'An auto-execution refused on a stale State Witness (bound through a preflightId) answers 409 but leaves no denied audit event.',
  hooks: {
    // Two hooks: a witness that comes with a preflightId is left to the auto-execution's recomputation, as a
    // server may do (the stale-witness-auto-draft variant), so that its denial is the one that goes unaudited.
    preflightBinding: (next) => (pre) => ({ impactHash: next(pre).impactHash, witnessHash: null }),
    auditEvent: (next) => (s, e) => {
      const autoExecuted = e.action === 'agent.action.execute' && e.performed_by_user_id === s.actor;
      if (!(autoExecuted && e.status === 'denied' && e.code === 'agent.precondition_failed')) next(s, e);
    },
  },
} as const satisfies FaultDef;
