import { sha256Hex } from '../../protocol/hash.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'witness-hash-wrong',
  clauses: ['WITNESS.hash.jcs'],
  description: 'stateWitnessHash is computed over JSON.stringify instead of JCS.',
  hooks: {
    witnessHash: () => (witness) => sha256Hex(JSON.stringify(witness)),
  },
} as const satisfies FaultDef;
