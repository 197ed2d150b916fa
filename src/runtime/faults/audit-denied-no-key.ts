import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-denied-no-key',
  clauses: ['AUDIT.deny.authz'],
  description: 'On the audit events of denials (scope, IP, data policy, tenant) key_id is null, although the key was recognised and its actor resolved; allowed and failed events are whole.',
  hooks: {
    auditEvent: (next) => (s, e) => next(e.status === 'denied' ? { ...s, key: null } : s, e),
  },
} as const satisfies FaultDef;
