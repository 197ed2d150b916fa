import fc from 'fast-check';
import canonicalizeModule from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { jcs } from '../../src/protocol/hash.js';

// The reference implementation of RFC 8785 (CommonJS; under NodeNext the default import is the function).
const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

/** The reference's answer: its string, or the message it throws with. */
function reference(v: unknown): string {
  try {
    const out = canonicalize(v);
    if (out === undefined) throw new TypeError('value cannot be canonicalized');
    return out;
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

function ours(v: unknown): string {
  try {
    return jcs(v);
  } catch (e) {
    return `throws ${(e as Error).message}`;
  }
}

describe('jcs (RFC 8785)', () => {
  it('writes what the reference implementation writes, for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (v) => { expect(ours(v)).toBe(reference(v)); }), { numRuns: 2000 });
  });

  it('sorts member names by UTF-16 code units, whatever the script', () => {
    const names = fc.string({ unit: 'binary', maxLength: 6 });
    fc.assert(fc.property(fc.dictionary(names, fc.oneof(fc.integer(), fc.double(), fc.string({ unit: 'binary' }), fc.constant(null))), (v) => {
      expect(ours(v)).toBe(reference(v));
    }), { numRuns: 1000 });
    expect(jcs({ '\u20ac': 1, '\r': 2, '\ud83d\ude00': 3, '\ufb33': 4, '1': 5 })).toBe('{"\\r":2,"1":5,"\u20ac":1,"\ud83d\ude00":3,"\ufb33":4}');
  });

  it('sorts objects with many members as it sorts small ones, and escapes what JSON.stringify escapes', () => {
    // Past 16 members the names are sorted another way (sort(), not insertion): both must give the reference's order.
    const names = fc.string({ unit: 'binary', maxLength: 4 });
    fc.assert(fc.property(fc.dictionary(names, fc.oneof(fc.string({ unit: 'binary' }), fc.integer()), { minKeys: 10, maxKeys: 40 }), (v) => {
      expect(ours(v)).toBe(reference(v));
    }), { numRuns: 300 });
    for (const s of ['plain', 'quote"', 'back\\slash', 'nul\u0000', 'lone\ud800', 'pair\ud83d\ude00', '\u007f\u2028']) {
      expect(ours({ [s]: s })).toBe(reference({ [s]: s }));
    }
  });

  it('treats undefined, symbols, toJSON, NaN and Infinity as the reference does', () => {
    const cases: unknown[] = [
      { a: undefined, b: Symbol('s'), c: 1 }, [undefined, Symbol('s'), 2], { d: new Date(0) }, { t: { toJSON: () => ({ z: 1, a: 2 }) } },
      { n: NaN }, [Infinity], -Infinity, undefined, { f: () => 1 }, -0, 1e21, 5e-7, 'é\u2028',
    ];
    for (const v of cases) expect(ours(v)).toBe(reference(v));
  });
});
