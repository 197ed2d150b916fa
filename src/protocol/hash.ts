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

/** Above this many members an object's names are sorted by Array.prototype.sort, not by insertion (quadratic). */
const INSERTION_SORT_MAX = 16;

/**
 * A string as JSON.stringify writes it. Most names and values need no escaping (no control character, quote,
 * backslash or surrogate, the only code units JSON.stringify rewrites): those are quoted without the call.
 */
function quote(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}

/** Member names quoted before, with their colon: the runtime's objects repeat a handful of names. Bounded in count and length. */
const quotedNames = new Map<string, string>();
const QUOTED_NAMES_MAX = 1024;
const QUOTED_NAME_LENGTH_MAX = 64;

/** Emptied when full, so that it follows what is hashed now (a value seen once stays only until then). */
function remember(cache: Map<string, string>, s: string, quoted: string): void {
  if (cache.size >= QUOTED_NAMES_MAX) cache.clear();
  cache.set(s, quoted);
}

/** `"name":` */
function quoteName(k: string): string {
  let q = quotedNames.get(k);
  if (q === undefined) {
    q = `${quote(k)}:`;
    if (k.length <= QUOTED_NAME_LENGTH_MAX) remember(quotedNames, k, q);
  }
  return q;
}

/** Short string values quoted before (actions, ids, enumerations repeat), bounded like the names. */
const quotedValues = new Map<string, string>();

function quoteValue(s: string): string {
  if (s.length > QUOTED_NAME_LENGTH_MAX) return quote(s);
  let q = quotedValues.get(s);
  if (q === undefined) {
    q = quote(s);
    remember(quotedValues, s, q);
  }
  return q;
}

function serialize(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return quoteValue(v);
    case 'number':
      if (!Number.isFinite(v)) throw new Error(Number.isNaN(v) ? 'NaN is not allowed' : 'Infinity is not allowed');
      // A finite number's ToString is what JSON.stringify writes (ECMAScript Number::toString, -0 as 0).
      return `${v}`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      if (v === null) return 'null';
      break;
    default:
      // undefined, functions and symbols (undefined), bigints (throws): as JSON.stringify, like the reference.
      return JSON.stringify(v) as string | undefined;
  }
  const toJSON = (v as { toJSON?: unknown }).toJSON;
  if (toJSON instanceof Function) return serialize(toJSON.call(v));
  if (Array.isArray(v)) {
    let out = '[';
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      if (i > 0) out += ',';
      out += serialize(x === undefined || typeof x === 'symbol' ? null : x);
    }
    return `${out}]`;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  // `>` on strings compares UTF-16 code units, the order RFC 8785 (and sort() without a comparator) uses; names
  // are distinct, so any correct sort gives the one order. Insertion sort spares sort()'s set-up on small objects.
  if (keys.length > INSERTION_SORT_MAX) keys.sort();
  else {
    for (let i = 1; i < keys.length; i++) {
      const k = keys[i]!;
      let j = i - 1;
      for (; j >= 0 && keys[j]! > k; j--) keys[j + 1] = keys[j]!;
      keys[j + 1] = k;
    }
  }
  let out = '{';
  for (const k of keys) {
    const x = o[k];
    if (x === undefined || typeof x === 'symbol') continue;
    if (out.length > 1) out += ',';
    // One piece at a time: a template of the three copies its short pieces into a new string first.
    out += quoteName(k);
    out += serialize(x);
  }
  return `${out}}`;
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
