import { hash } from 'node:crypto';
import canonicalizeModule from 'canonicalize';

// The package is CommonJS with an ESM-style .d.ts; under NodeNext the default import is the module object.
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** RFC 8785 JSON Canonicalization Scheme, through the reference implementation's package. */
export function jcs(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value cannot be canonicalized');
  return out;
}

/** One-shot hash: no Hash object per call (this runs for every preflight, action and new token). */
export function sha256Hex(text: string): string {
  return hash('sha256', text, 'hex');
}

/** impactHash = hex(SHA-256(JCS({action, payload, impact}))). */
export function impactHash(action: string, payload: unknown, impact: unknown): string {
  return sha256Hex(jcs({ action, payload, impact }));
}

/** stateWitnessHash = hex(SHA-256(JCS(stateWitness))). */
export function witnessHash(stateWitness: unknown): string {
  return sha256Hex(jcs(stateWitness));
}
