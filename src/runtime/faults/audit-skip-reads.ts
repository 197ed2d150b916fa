import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-reads',
  clauses: ['AUDIT.allow.read', 'AUDIT.fail'],
  description: 'Successful and failed reads leave no audit event.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!e.read) next(s, e);
    },
  },
} as const satisfies FaultDef;
