import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-review-by-agent',
  clauses: ['AUDIT.field.performed_by_user_id'],
  description: "Approvals and rejections are audited as performed by the app's own actor (its service user), not by the admin who reviewed.",
  hooks: {
    auditEvent: (next) => (s, e) => next(s, /^agent\.draft\.(approve|reject)$/.test(e.action) ? { ...e, performed_by_user_id: s.actor } : e),
  },
} as const satisfies FaultDef;
