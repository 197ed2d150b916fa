import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-payload-unredacted',
  clauses: ['AUDIT.redact-sensitive'],
  description: "The event of a created draft carries the draft's payload as written, sensitive fields included.",
  hooks: {
    auditEvent: (next, env) => (s, e) => {
      const payload = e.action === 'agent.action.draft.created' && e.draft_id ? env.store.drafts.get(e.draft_id)?.draft.payload : undefined;
      next(s, payload === undefined ? e : { ...e, details: { ...(e.details ?? {}), payload } });
    },
  },
} as const satisfies FaultDef;
