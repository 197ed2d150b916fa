import { randomBytes } from 'node:crypto';

/** Source of ids and secrets: crypto-random by default, a seeded PRNG when a test asks for determinism. */
export interface IdSource {
  /** `<prefix>_` + 16 hex chars, e.g. id('drf') → "drf_3f045091d8115345". */
  id(prefix: string): string;
  /** `<prefix>_` + base64url of `bytes` random bytes. */
  secret(prefix: string, bytes: number): string;
}

/** splitmix32: tiny, well-distributed, and replayable from one seed. */
function seededBytes(seed: number): (n: number) => Buffer {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  return (n) => {
    const out = Buffer.alloc(n);
    for (let i = 0; i < n; i++) out[i] = next() & 0xff;
    return out;
  };
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** Longest id prefix written through the scratch buffer; a longer one, or one that is not ASCII, is joined as text. */
const PREFIX_MAX = 32;

/**
 * Bytes are taken in order from `refill`'s buffers: crypto-random ones come 4 KiB per randomBytes call, seeded ones
 * exactly as many as asked (so the seeded sequence is the same whatever is asked for). The bytes used are zeroed.
 * An id is written as ASCII into a scratch buffer and read out as one flat string: no hex string and no joined
 * pieces per id, which would each stay on the heap as long as the id (a stored preflight, an audit event).
 */
export function createIdSource(seed?: number): IdSource {
  const refill: (n: number) => Buffer = seed === undefined ? (n) => randomBytes(Math.max(4096, n)) : seededBytes(seed);
  let pool: Buffer = Buffer.alloc(0);
  let at = 0;
  const take = (n: number): number => {
    if (at + n > pool.length) {
      pool = refill(n);
      at = 0;
    }
    at += n;
    return at - n;
  };
  const scratch = Buffer.alloc(PREFIX_MAX + 17);
  return {
    id(prefix) {
      const s = take(8);
      let written = prefix.length <= PREFIX_MAX;
      for (let i = 0; written && i < prefix.length; i++) {
        const c = prefix.charCodeAt(i);
        if (c > 0x7f) written = false;
        else scratch[i] = c;
      }
      const n = written ? prefix.length : 0;
      scratch[n] = 0x5f;
      for (let i = 0; i < 8; i++) {
        const b = pool[s + i]!;
        pool[s + i] = 0;
        scratch[n + 1 + 2 * i] = HEX_CODES[b >> 4]!;
        scratch[n + 2 + 2 * i] = HEX_CODES[b & 15]!;
      }
      const text = scratch.toString('latin1', 0, n + 17);
      return written ? text : `${prefix}${text}`;
    },
    secret(prefix, n) {
      const s = take(n);
      const text = pool.toString('base64url', s, s + n);
      pool.fill(0, s, s + n);
      return `${prefix}_${text}`;
    },
  };
}
