import { jcs, sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-no-action',
  clauses: ['PREFLIGHT.hash.binds-action'],
  description: 'impactHash covers {payload, impact} only: the action is not bound.',
  hooks: {
    impactHash: () => (_action, payload, impact) => sha256Hex(jcs({ payload, impact })),
  },
} as const satisfies FaultDef;
