import type { FaultDef } from './fault.js';

export const fault = {
  name: 'audit-skip-replay',
  clauses: ['AUDIT.allow.idempotency-replay'],
  description: 'An idempotent replay leaves no audit event.',
  hooks: {
    auditEvent: (next) => (s, e) => {
      if (e.action !== 'agent.action.idempotency_replay') next(s, e);
    },
  },
} as const satisfies FaultDef;
