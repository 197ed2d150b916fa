import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-failure-code-missing',
  clauses: ['ENV.failure.code'],
  description: 'Error replies carry the reason code as error instead of code.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      const { code, ...rest } = reply.body;
      // The reply's type insists on a code member; the defect is precisely that it is named otherwise.
      reply.body = { ...rest, error: code } as unknown as typeof reply.body;
      return reply;
    },
  },
} as const satisfies FaultDef;
