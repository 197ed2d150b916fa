import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-status-mismatch',
  clauses: ['ENV.status.scope_denied', 'ENV.status.policy_denied'],
  description: 'agent.scope_denied and agent.policy_denied are sent with HTTP 400 instead of 403.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (err.code === 'agent.scope_denied' || err.code === 'agent.policy_denied') reply.status = 400;
      return reply;
    },
  },
} as const satisfies FaultDef;
