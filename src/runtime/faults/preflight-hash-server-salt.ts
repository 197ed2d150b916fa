import { jcs, sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-server-salt',
  clauses: ['PREFLIGHT.hash.client-recomputable'],
  description: 'impactHash also covers a value only the server knows, so a client cannot recompute it from the preflight reply.',
  hooks: {
    impactHash: () => (action, payload, impact) => sha256Hex(jcs({ action, payload, impact, salt: 'server-side' })),
  },
} as const satisfies FaultDef;
