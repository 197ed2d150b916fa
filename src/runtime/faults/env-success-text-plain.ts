import { JSON_TYPE } from '../hooks.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-success-text-plain',
  clauses: ['ENV.content-type.success'],
  description: 'Success replies are served as text/plain; errors keep application/json.',
  hooks: {
    // Two hooks: the content type of every reply turns text/plain, and refusals set application/json back.
    contentType: () => () => 'text/plain; charset=utf-8',
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      reply.headers = { ...reply.headers, 'content-type': JSON_TYPE };
      return reply;
    },
  },
} as const satisfies FaultDef;
