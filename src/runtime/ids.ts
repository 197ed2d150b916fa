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

/**
 * crypto-random bytes drawn from a pooled buffer, one randomBytes call per 4 KiB instead of per id, handed
 * out already encoded (no Buffer per id); the bytes used are zeroed in the pool.
 */
function pooledRandomText(): (n: number, encoding: 'hex' | 'base64url') => string {
  let pool = Buffer.alloc(0);
  let at = 0;
  return (n, encoding) => {
    if (at + n > pool.length) {
      pool = randomBytes(Math.max(4096, n));
      at = 0;
    }
    const out = pool.toString(encoding, at, at + n);
    pool.fill(0, at, at + n);
    at += n;
    return out;
  };
}

export function createIdSource(seed?: number): IdSource {
  let text: (n: number, encoding: 'hex' | 'base64url') => string;
  if (seed === undefined) text = pooledRandomText();
  else {
    const bytes = seededBytes(seed);
    text = (n, encoding) => bytes(n).toString(encoding);
  }
  return {
    id: (prefix) => `${prefix}_${text(8, 'hex')}`,
    secret: (prefix, n) => `${prefix}_${text(n, 'base64url')}`,
  };
}
