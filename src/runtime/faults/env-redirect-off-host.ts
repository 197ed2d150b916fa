import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-redirect-off-host',
  clauses: ['ENV.no-redirect'],
  description: 'Every refusal is a 307 redirect to another host, with the error envelope still in its body.',
  bindings: ['http'],
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      return { ...reply, status: 307, headers: { ...reply.headers, location: 'http://127.0.0.1:9/elsewhere' } };
    },
  },
} as const satisfies FaultDef;
