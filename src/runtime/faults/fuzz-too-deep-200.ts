import type { ReasonCode } from '../../protocol/codes.js';
import type { FaultDef } from './fault.js';

/** An issue code the runtime gives only a body nested past its depth limit. */
const TOO_DEEP = 'too_deep';

export const fault = {
  name: 'fuzz-too-deep-200',
  clauses: ['FUZZ.stable-4xx.agent'],
  description:
    'A request body nested past the depth limit is refused with HTTP 200 and a code outside the registry instead of a 4xx (only generated input nests that deep).',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      const issues = (err.details as { issues?: { code?: unknown }[] } | undefined)?.issues ?? [];
      if (err.code !== 'common.validation' || !issues.some((i) => i.code === TOO_DEEP)) return reply;
      // The kind of code a hand-rolled depth guard invents: an envelope still, but neither a 4xx nor the registry's.
      return { ...reply, status: 200, body: { ok: false, code: 'agent.payload_too_deep' as ReasonCode, message: 'Payload too deep' } };
    },
  },
} as const satisfies FaultDef;
