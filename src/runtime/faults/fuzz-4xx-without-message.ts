import type { FaultDef } from './fault.js';

export const fault = {
  name: 'fuzz-4xx-without-message',
  clauses: ['FUZZ.stable-4xx.agent', 'FUZZ.stable-4xx.admin'],
  description: 'Client errors (4xx) on both planes are {ok:false, code} without the message the envelope requires.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.status < 400 || reply.status > 499) return reply;
      const { message: _dropped, ...body } = reply.body;
      return { ...reply, body: body as typeof reply.body };
    },
  },
} as const satisfies FaultDef;
