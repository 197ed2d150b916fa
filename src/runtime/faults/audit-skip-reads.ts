import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-reads',
  breaks: 'AUDIT-001',
  description: 'Successful and failed reads leave no audit event.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!e.read) next(s, e);
    },
  },
} as const satisfies FaultDef;
