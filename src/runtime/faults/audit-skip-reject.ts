import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-reject',
  clauses: ['AUDIT.allow.reject'],
  description: 'Rejecting a draft leaves no audit event.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (e.action !== 'agent.draft.reject') next(s, e);
    },
  },
} as const satisfies FaultDef;
