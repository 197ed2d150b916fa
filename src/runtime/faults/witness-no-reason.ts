import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-no-reason',
  clauses: ['WITNESS.precondition.reason'],
  description: 'A 409 agent.precondition_failed carries no details.reason.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code !== 'agent.precondition_failed') return reply;
      const { details: _reason, ...body } = reply.body;
      return { ...reply, body };
    },
  },
} as const satisfies FaultDef;
