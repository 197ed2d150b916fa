import type { ReasonCode } from '../../protocol/codes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'adm-refusal-code-drifts',
  clauses: ['ADM.refused.same-code'],
  description: 'Only the first 429 says agent.rate_limited; later ones say agent.quota_exceeded (a code of their own).',
  hooks: {
    errorEnvelope: (next) => {
      let refusals = 0;
      return (err) => {
        const reply = next(err);
        if (err.code !== 'agent.rate_limited' || refusals++ === 0) return reply;
        return { ...reply, body: { ...reply.body, code: 'agent.quota_exceeded' as ReasonCode } };
      };
    },
  },
} as const satisfies FaultDef;
