import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-refusal-bare',
  clauses: ['ADM.refused.envelope'],
  description: 'A 429 body is {"error": "rate_limited"}: the status is right, the standard envelope is missing.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (err.code !== 'agent.rate_limited') return reply;
      return { ...reply, body: { error: 'rate_limited' } as unknown as typeof reply.body };
    },
  },
} as const satisfies FaultDef;
