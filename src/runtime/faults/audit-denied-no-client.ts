import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-denied-no-client',
  clauses: ['AUDIT.deny.authz'],
  description: 'On the audit events of denials (scope, IP, data policy, tenant) ip and user_agent are null, although the key was recognised and its actor resolved; allowed and failed events are whole.',
  hooks: {
    auditEvent: (next) => (s, e) => next(e.status === 'denied' ? { ...s, ip: null, userAgent: null } : s, e),
  },
} as const satisfies FaultDef;
