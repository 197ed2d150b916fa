/**
 * Value arbitraries: a small JSON-Schema → fast-check converter (what a well-behaved client would send)
 * and hostile values (what an attacker or a broken agent sends). Everything is bounded: strings ≤ 64 KiB,
 * arrays ≤ 5 000 items, nesting ≤ 64 levels.
 */
import fc from 'fast-check';

export type JsonSchema = Record<string, unknown>;

export const MAX_STRING_BYTES = 64 * 1024;
export const MAX_DEPTH = 64;

/** Strings parsers and storage layers tend to get wrong, plus injection classics. */
export const EDGE_STRINGS: readonly string[] = [
  '', ' ', '\u0000', 'a\u0000b', '\uD800', '\uDC00x', '\uDBFF\uDFFF', '\u202Eevil\u202C', '\u200B', '\uFEFF',
  '🧨💥', 'e\u0301', 'Ω≈ç√∫', '\\', '"', "'", '\r\n', '%00', '%ZZ', '../../../../etc/passwd', "' OR '1'='1",
  "'; DROP TABLE items;--", '{{7*7}}', '${7*7}', '<script>alert(1)</script>', 'null', 'undefined',
  'NaN', '-1', '1e309', '__proto__', 'constructor', 'toString', '2026-02-30', '9999-12-31T23:59:59Z',
];

/** A byte length-bounded repetition of one character (the cheap way to get a huge string). */
export const hugeString = fc
  .tuple(fc.integer({ min: 1024, max: MAX_STRING_BYTES }), fc.constantFrom('a', 'é', '🧨', '\u0000', '\u202E'))
  .map(([bytes, c]) => c.repeat(Math.max(1, Math.floor(bytes / Buffer.byteLength(c)))));

/**
 * Any code point except half surrogates — what fast-check's unit 'binary' gives, without the ~90 MB table
 * that unit keeps in memory for the life of the process (every CLI run paid it).
 */
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff - 0x800 }).map((cp) => String.fromCodePoint(cp >= 0xd800 ? cp + 0x800 : cp));

/** Short hostile strings; huge ones come only as whole values (hostileValue), to keep requests cheap on average. */
export const weirdString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 24 }), weight: 3 },
  { arbitrary: fc.string({ unit: anyCodePoint, maxLength: 16 }), weight: 2 },
  { arbitrary: fc.constantFrom(...EDGE_STRINGS), weight: 4 },
);

const hostileScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 63),
  weirdString,
  fc.integer(),
  fc.double({ noNaN: true }),
);

/** Depths cluster around the limits servers pick (16, 32, 64) so deep-nesting bugs are found quickly. */
export const depth = fc.oneof(fc.integer({ min: 1, max: MAX_DEPTH }), fc.constantFrom(17, 24, 33, 48, MAX_DEPTH));

export function nest(levels: number, shape: 'object' | 'array' | 'mixed', leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < levels; i++) {
    const asArray = shape === 'array' || (shape === 'mixed' && i % 2 === 1);
    v = asArray ? [v] : { a: v };
  }
  return v;
}

export const deepValue = fc
  .tuple(depth, fc.constantFrom<'object' | 'array' | 'mixed'>('object', 'array', 'mixed'), hostileScalar)
  .map(([d, shape, leaf]) => nest(d, shape, leaf));

export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileScalar, weight: 6 },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: deepValue, weight: 2 },
  { arbitrary: fc.array(hostileScalar, { maxLength: 5 }), weight: 1 },
  { arbitrary: fc.integer({ min: 1000, max: 5000 }).map((n) => new Array<number>(n).fill(0)), weight: 1 },

  { arbitrary: fc.dictionary(weirdString, hostileScalar, { maxKeys: 4 }), weight: 1 },
  { arbitrary: fc.constant(JSON.parse('{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}}}') as unknown), weight: 1 },
);

/** Arbitrary JSON values matching a (simple) JSON Schema: type, enum, const, properties, required, items. */
export function fromSchema(schema: JsonSchema | undefined, level = 0): fc.Arbitrary<unknown> {
  if (!schema || typeof schema !== 'object') return fc.jsonValue({ maxDepth: 2 });
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...(schema.enum as unknown[]));
  if ('const' in schema) return fc.constant(schema.const);
  const type = schema.type;
  if (Array.isArray(type)) return fc.oneof(...type.map((t) => fromSchema({ ...schema, type: t }, level)));
  const num = (k: string) => (typeof schema[k] === 'number' ? (schema[k] as number) : undefined);
  switch (type) {
    case 'object': {
      const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
      const required = Array.isArray(schema.required) ? (schema.required as string[]).filter((k) => typeof k === 'string') : [];
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props)) model[k] = level > 6 ? fc.constant(null) : fromSchema(s, level + 1);
      // A required key without a property schema still has to be present.
      for (const k of required) model[k] ??= fc.jsonValue({ maxDepth: 1 });
      return fc.record(model, { requiredKeys: required });
    }
    case 'string':
      return fc.string({ minLength: num('minLength') ?? 0, maxLength: Math.min(num('maxLength') ?? 24, 256) });
    case 'integer':
      return fc.integer({ min: num('minimum') ?? -1_000_000, max: num('maximum') ?? 1_000_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: num('minimum') ?? -1e9, max: num('maximum') ?? 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(level > 6 ? fc.constant(null) : fromSchema(schema.items as JsonSchema | undefined, level + 1), {
        minLength: num('minItems') ?? 0,
        maxLength: Math.min(num('maxItems') ?? 5, 50),
      });
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Percent-encode a string as UTF-8 bytes; unlike encodeURIComponent it never throws on lone surrogates. */
export function pct(s: string): string {
  let out = '';
  for (const b of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_.~-]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Printable ASCII only: header values must survive an HTTP client's validation. */
export const headerSafe = fc.string({ unit: 'grapheme-ascii', maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, ''));

/** A string that looks like an agent token of the authors' runtime (op_ + 43 base64url characters). */
export const fakeToken = fc
  .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('')), { minLength: 43, maxLength: 43 })
  .map((cs) => `op_${cs.join('')}`);
