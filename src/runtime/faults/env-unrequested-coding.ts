import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-unrequested-coding',
  clauses: ['ENV.content-coding.unrequested'],
  description: 'Error replies declare Content-Encoding: gzip, which no request asked for.',
  bindings: ['http'],
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      return { ...reply, headers: { ...reply.headers, 'content-encoding': 'gzip' } };
    },
  },
} as const satisfies FaultDef;
