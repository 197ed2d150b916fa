import type { FaultDef } from './fault.js';
import { sha256Hex } from '../../protocol/hash.js';

export const fault = {
  name: 'preflight-hash-not-jcs',
  breaks: 'PREFLIGHT-001',
  description: 'impactHash is computed over JSON.stringify({action,payload,impact}) in insertion order, not JCS.',
} as const satisfies FaultDef;

/** The defect: key order of JSON.stringify is insertion order, so a client's JCS recomputation disagrees. */
export function naiveImpactHash(action: string, payload: unknown, impact: unknown): string {
  return sha256Hex(JSON.stringify({ action, payload, impact }));
}
