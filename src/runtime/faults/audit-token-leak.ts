import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-token-leak',
  clauses: ['AUDIT.no-token'],
  description: 'Audit event details include the raw Authorization header.',
  hooks: {
    auditEvent: (next) => (s, e) => next(s, { ...e, details: { ...e.details, authorization: s.authorization } }),
  },
} as const satisfies FaultDef;
