import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-high-risk-reject',
  clauses: ['AUDIT.allow.reject'],
  description: 'Rejecting a draft of a high-risk tool leaves no audit event; rejections of low- and medium-risk drafts are audited.',
  hooks: {
    auditEvent: (next, env) => (s, e) => {
      const risk = e.draft_id ? env.store.drafts.get(e.draft_id)?.risk : undefined;
      if (!(e.action === 'agent.draft.reject' && risk === 'high')) next(s, e);
    },
  },
} as const satisfies FaultDef;
