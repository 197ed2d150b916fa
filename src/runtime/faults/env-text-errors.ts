import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-text-errors',
  clauses: ['ENV.content-type.errors'],
  description: 'Error responses are served with content-type text/plain instead of application/json.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      reply.headers = { ...reply.headers, 'content-type': 'text/plain; charset=utf-8' };
      return reply;
    },
  },
} as const satisfies FaultDef;
