import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-execute-shows-payload',
  clauses: ['AUDIT.redact-sensitive'],
  description: "The execution's audit event (agent.action.execute) carries the draft's payload as written, sensitive fields included; the draft's and the preflight's events are redacted.",
  hooks: {
    auditEvent: (next, env) => (s, e) => {
      const rec = e.action === 'agent.action.execute' && e.draft_id ? env.store.drafts.get(e.draft_id) : undefined;
      return next(s, rec ? { ...e, details: { ...(e.details ?? {}), payload: rec.draft.payload } } : e);
    },
  },
} as const satisfies FaultDef;
