import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-no-issues',
  clauses: ['ENV.validation.issues'],
  description: 'Validation failures carry no details.issues[].',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code === 'common.validation') delete reply.body.details;
      return reply;
    },
  },
} as const satisfies FaultDef;
