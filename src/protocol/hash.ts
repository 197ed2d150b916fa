import { hash } from 'node:crypto';
/**
 * RFC 8785 JSON Canonicalization Scheme: primitives as JSON.stringify writes them (ECMAScript number
 * serialisation), object members sorted by the UTF-16 code units of their names, no whitespace. The same
 * rules as the reference implementation (the `canonicalize` package: toJSON honoured, undefined and symbol
 * members left out, undefined and symbol array items as null, NaN and Infinity refused), which
 * test/protocol/jcs.test.ts holds it to; written as loops because it runs for every preflight and action.
 */
export function jcs(value: unknown): string {
  const out = serialize(value);
  if (out === undefined) throw new TypeError('value cannot be canonicalized');
  return out;
}

function serialize(v: unknown): string | undefined {
  if (typeof v === 'number' && !Number.isFinite(v)) throw new Error(Number.isNaN(v) ? 'NaN is not allowed' : 'Infinity is not allowed');
  if (v === null || typeof v !== 'object') return JSON.stringify(v) as string | undefined;
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (toJSON instanceof Function) return serialize(toJSON.call(v));
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      out += `${i === 0 ? '' : ','}${serialize(x === undefined || typeof x === 'symbol' ? null : x)}`;
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '';
  for (const k of keys) {
    const x = o[k];
    if (x === undefined || typeof x === 'symbol') continue;
    out += `${out.length === 0 ? '' : ','}${JSON.stringify(k)}:${serialize(x)}`;
  }
  return `{${out}}`;
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
