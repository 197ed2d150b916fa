import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-high-risk-preflights',
  clauses: ['AUDIT.allow.preflight'],
  description: 'A successful preflight of a high-risk tool leaves no audit event; those of low- and medium-risk tools, and every other event, do.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.action === 'agent.action.preflight' && e.status === 'success' && (e.details as { risk?: unknown } | null)?.risk === 'high')) next(s, e);
    },
  },
} as const satisfies FaultDef;
