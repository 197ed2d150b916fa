import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-message-missing',
  clauses: ['ENV.failure.message'],
  description: 'Error replies carry no human-readable message.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      const { message: _message, ...rest } = reply.body;
      // The reply's type insists on a message; the defect is precisely that it is absent.
      reply.body = rest as typeof reply.body;
      return reply;
    },
  },
} as const satisfies FaultDef;
