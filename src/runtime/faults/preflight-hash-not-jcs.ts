import { sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-not-jcs',
  clauses: ['PREFLIGHT.hash.jcs'],
  description: 'impactHash is computed over JSON.stringify({action,payload,impact}) in insertion order, not JCS.',
  hooks: {
    // Key order of JSON.stringify is insertion order, so a client's JCS recomputation disagrees.
    impactHash: () => (action, payload, impact) => sha256Hex(JSON.stringify({ action, payload, impact })),
  },
} as const satisfies FaultDef;
