import { jcs, sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-no-impact',
  clauses: ['PREFLIGHT.hash.binds-impact'],
  description: 'impactHash covers {action, payload} only: the impact is not bound.',
  hooks: {
    impactHash: () => (action, payload) => sha256Hex(jcs({ action, payload })),
  },
} as const satisfies FaultDef;
