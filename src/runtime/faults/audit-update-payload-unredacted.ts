import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-update-payload-unredacted',
  clauses: ['AUDIT.redact-sensitive'],
  description: "The event of a created transaction.update draft carries the draft's payload as written, sensitive fields included (other drafts' events do not).",
  hooks: {
    auditEvent: (next, env) => (s, e) => {
      const draft = e.action === 'agent.action.draft.created' && e.draft_id ? env.store.drafts.get(e.draft_id)?.draft : undefined;
      next(s, draft?.action_type === 'transaction.update' ? { ...e, details: { ...(e.details ?? {}), payload: draft.payload } } : e);
    },
  },
} as const satisfies FaultDef;
