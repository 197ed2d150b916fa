import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-high-risk-replay',
  clauses: ['AUDIT.allow.idempotency-replay'],
  description: 'An idempotent replay of a high-risk tool leaves no audit event; replays of low- and medium-risk tools are audited.',
  hooks: {
    auditEvent: (next, env) => (s, e) => {
      const tool = (e.details as { actionType?: unknown } | null | undefined)?.actionType;
      if (!(e.action === 'agent.action.idempotency_replay' && env.tools.find((t) => t.name === tool)?.risk === 'high')) next(s, e);
    },
  },
} as const satisfies FaultDef;
