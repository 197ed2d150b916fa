import type { FaultDef } from './fault.js';

/** The refusals of the high-risk gates after "action allowed" (brief section 7's gate order). */
const LATE_GATES = new Set(['agent.action_invalid', 'agent.idempotency_required', 'agent.preflight_required', 'agent.preflight_mismatch']);

export const fault = {
  name: 'audit-late-gate-refusals-as-success',
  clauses: ['AUDIT.reason-code'],
  description: 'A draft withheld by a later high-risk gate (justification, idempotency_required, preflight_required, preflight_mismatch) is audited as a success with no code; the disabled, expired and denied refusals keep theirs.',
  hooks: {
    auditEvent: (next) => (s, e) => next(s, e.action === 'agent.action.draft.created' && LATE_GATES.has(e.code ?? '') ? { ...e, status: 'success', code: null } : e),
  },
} as const satisfies FaultDef;
