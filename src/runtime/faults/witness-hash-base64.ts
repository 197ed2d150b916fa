import { createHash } from 'node:crypto';
import { jcs } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-hash-base64',
  clauses: ['WITNESS.hash.sha256-hex'],
  description: 'stateWitnessHash is the SHA-256 of JCS(stateWitness), written in base64 instead of hex.',
  hooks: {
    witnessHash: () => (witness) => createHash('sha256').update(jcs(witness)).digest('base64'),
  },
} as const satisfies FaultDef;
