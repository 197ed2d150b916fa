import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-actions-scope-denials',
  clauses: ['AUDIT.deny.authz'],
  description: "A scope denial of POST /actions leaves no audit event; the same denial of a preflight or a read is audited.",
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.action === 'agent.action.request' && e.code === 'agent.scope_denied')) next(s, e);
    },
  },
} as const satisfies FaultDef;
