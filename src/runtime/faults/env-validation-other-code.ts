import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-other-code',
  clauses: ['ENV.validation.code'],
  description: 'Validation failures are sent as 400 agent.action_invalid instead of 400 common.validation.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code === 'common.validation') reply.body.code = 'agent.action_invalid';
      return reply;
    },
  },
} as const satisfies FaultDef;
