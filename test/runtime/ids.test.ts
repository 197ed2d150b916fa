// Ids and secrets: the seeded sequence is fixed (a seed replays the same ids and tokens, whatever mix of ids and
// secrets of whatever sizes is asked for), random ids have the documented form and do not repeat across refills of
// the pool, and any prefix (long, empty, not ASCII) is kept whole.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createIdSource, type IdSource } from '../../src/runtime/ids.js';

const PREFIXES = ['aud', 'pfl', 'drf', 'Ω', 'p'.repeat(40), ''];

/** 600 ids (every kind of prefix) and 600 secrets of 0 to 40 bytes, in turn: over 16 KiB drawn. */
function mixed(ids: IdSource): string[] {
  const out: string[] = [];
  for (let i = 0; i < 600; i++) {
    out.push(ids.id(PREFIXES[i % PREFIXES.length]!));
    out.push(ids.secret('op', (i * 7) % 41));
  }
  return out;
}

describe('id source', () => {
  it('replays a seed: the same ids and secrets, in the order asked, as the runtime has always drawn them', () => {
    const first = mixed(createIdSource(42));
    expect(mixed(createIdSource(42))).toEqual(first);
    expect(first.slice(0, 3)).toEqual(['aud_2c84cb3dbf71dbee', 'op_', 'pfl_f95c752dc349371e']);
    // The whole sequence of seed 42, as drawn before ids were written through a scratch buffer (8 bytes per id,
    // exactly n per secret, never a byte skipped).
    expect(createHash('sha256').update(first.join('\n')).digest('hex')).toBe('72aa21da2a99ed1c3ce82b5364928627846e742808aaaf568b4f07e247caafcb');
  });

  it('draws random ids of the form <prefix>_<16 hex> that do not repeat, across refills of its pool at any remainder', () => {
    const ids = createIdSource();
    const seen = new Set<string>();
    // Secrets of 1 to 40 bytes between the ids: the pool runs out with every remainder, not only at 4 KiB.
    for (let i = 0; i < 2000; i++) {
      const id = ids.id('drf');
      expect(id).toMatch(/^drf_[0-9a-f]{16}$/);
      seen.add(id);
      const n = 1 + (i % 40);
      expect(Buffer.from(ids.secret('op', n).slice(3), 'base64url')).toHaveLength(n);
    }
    expect(seen.size).toBe(2000);
  });

  it('keeps a prefix whole: long, empty or not ASCII', () => {
    for (const prefix of PREFIXES) {
      const id = createIdSource(1).id(prefix);
      expect(id.slice(0, prefix.length + 1)).toBe(`${prefix}_`);
      expect(id.slice(prefix.length + 1)).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(createIdSource().id('票😀')).toMatch(/^票😀_[0-9a-f]{16}$/u);
  });
});
