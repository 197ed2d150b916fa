import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-denials',
  breaks: 'AUDIT-002',
  description: 'Denied operations leave no audit event.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (e.status !== 'denied') next(s, e);
    },
  },
} as const satisfies FaultDef;
