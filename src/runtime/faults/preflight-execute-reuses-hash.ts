import { jcs } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-execute-reuses-hash',
  clauses: ['PREFLIGHT.execute.recomputes'],
  description:
    'At execute the impact hash is not recomputed: the hash of the first preflight of the same action and payload stands in for it, ' +
    'so a preflightHash whose impact has since changed still matches.',
  hooks: {
    recomputedImpactHash: (next, env) => (action, payload, recompute) => {
      const asked = jcs(payload);
      for (const pre of env.store.preflights.values()) if (pre.action === action && jcs(pre.payload) === asked) return pre.impactHash;
      return next(action, payload, recompute);
    },
  },
} as const satisfies FaultDef;
