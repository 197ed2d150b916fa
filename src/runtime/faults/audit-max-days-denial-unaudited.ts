import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-max-days-denial-unaudited',
  clauses: ['AUDIT.deny.authz'],
  description: "A policy_denied refusal of an app whose data policy sets max_days (a date range wider than it) leaves no audit event; the other policy denials are audited.",
  hooks: {
    auditEvent: (next) => (s, e) => (e.code === 'agent.policy_denied' && s.app?.policy.data?.max_days != null ? undefined : next(s, e)),
  },
} as const satisfies FaultDef;
