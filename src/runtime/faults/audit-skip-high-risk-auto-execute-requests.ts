import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-high-risk-auto-execute-requests',
  clauses: ['AUDIT.allow.auto-execute-requested'],
  description: 'A high-risk auto-execute request leaves no event of its own (agent.action.auto_execute.requested), only its execution does; low- and medium-risk requests are audited.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.action === 'agent.action.auto_execute.requested' && (e.details as { risk?: unknown } | null)?.risk === 'high')) next(s, e);
    },
  },
} as const satisfies FaultDef;
