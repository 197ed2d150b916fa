import { jcs, sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-no-payload',
  clauses: ['PREFLIGHT.hash.binds-payload'],
  description: 'impactHash covers {action, impact} only: the payload is not bound.',
  hooks: {
    impactHash: () => (action, _payload, impact) => sha256Hex(jcs({ action, impact })),
  },
} as const satisfies FaultDef;
