import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-id-other-action-not-found',
  clauses: ['PREFLIGHT.id.action-differs'],
  description: 'A preflightId used for another action is refused as agent.preflight_not_found instead of 400 agent.preflight_mismatch.',
  hooks: {
    // The only refusal (not autoExecuteDeniedCode) with code preflight_mismatch is the preflightId's other action.
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code !== 'agent.preflight_mismatch') return reply;
      return { ...reply, body: { ...reply.body, code: 'agent.preflight_not_found' } };
    },
  },
} as const satisfies FaultDef;
