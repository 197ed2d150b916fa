import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-no-reason-code',
  clauses: ['AUDIT.reason-code'],
  description: 'Denied and failed operations are audited without their reason code.',
  hooks: {
    auditEvent: (next) => (s, e) => next(s, e.status === 'success' ? e : { ...e, code: undefined }),
  },
} as const satisfies FaultDef;
