import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-denied-no-actor',
  clauses: ['AUDIT.deny.authz'],
  description: 'On the audit events of denials (scope, IP, data policy, tenant) actor_user_id (and so performed_by_user_id) is null, although the key was recognised and its actor resolved; allowed and failed events are whole.',
  hooks: {
    auditEvent: (next) => (s, e) => next(e.status === 'denied' ? { ...s, actor: null } : s, e),
  },
} as const satisfies FaultDef;
