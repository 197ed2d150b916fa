import { createHash } from 'node:crypto';
import { jcs } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'preflight-hash-base64',
  clauses: ['PREFLIGHT.hash.sha256-hex'],
  description: 'impactHash is the SHA-256 of the right document, written in base64 instead of hex.',
  hooks: {
    impactHash: () => (action, payload, impact) => createHash('sha256').update(jcs({ action, payload, impact })).digest('base64'),
  },
} as const satisfies FaultDef;
