import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-failed-execution-no-code',
  clauses: ['AUDIT.reason-code'],
  description: 'The audit event of an execution that failed has code null (status failed is recorded); denials keep their codes.',
  hooks: {
    auditEvent: (next) => (s, e) => next(s, e.status === 'failed' && e.execution_id ? { ...e, code: null } : e),
  },
} as const satisfies FaultDef;
