import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-high-risk-auto-execute-denials',
  clauses: ['AUDIT.deny.auto-execute'],
  description: 'An auto-execute refusal of a high-risk tool (the draft it creates) leaves no audit event; refusals of low- and medium-risk tools do.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (!(e.action === 'agent.action.draft.created' && e.status === 'denied' && (e.details as { risk?: unknown } | null)?.risk === 'high')) next(s, e);
    },
  },
} as const satisfies FaultDef;
