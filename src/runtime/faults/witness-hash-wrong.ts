import type { FaultDef } from './fault.js';
import { sha256Hex } from '../../protocol/hash.js';

export const fault = {
  name: 'witness-hash-wrong',
  breaks: 'WITNESS-001',
  description: 'stateWitnessHash is computed over JSON.stringify instead of JCS.',
} as const satisfies FaultDef;

export function naiveWitnessHash(stateWitness: unknown): string {
  return sha256Hex(JSON.stringify(stateWitness));
}
