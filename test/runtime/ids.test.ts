// Ids and secrets: the seeded sequence is fixed (a seed replays the same ids and tokens, whatever mix of ids and
// secrets is asked for), random ids have the documented form and do not repeat, and any prefix is kept whole.
import { describe, expect, it } from 'vitest';
import { createIdSource } from '../../src/runtime/ids.js';

describe('id source', () => {
  it('replays a seed: the same ids and secrets, in the order asked', () => {
    const run = () => {
      const ids = createIdSource(42);
      return [ids.id('aud'), ids.secret('op', 24), ids.id('pfl'), ids.id('drf'), ids.secret('adm', 3)];
    };
    const first = run();
    expect(run()).toEqual(first);
    // The sequence of seed 42 as the runtime has always drawn it (8 bytes per id, n per secret, in turn).
    expect(first.slice(0, 3)).toEqual(['aud_2c84cb3dbf71dbee', 'op_-Vx1LcNJNx6FeI9nOKXsZat5T6K6t8SC', 'pfl_0689aa17ec5fa1b7']);
  });

  it('draws random ids of the form <prefix>_<16 hex> that do not repeat, across refills of its pool', () => {
    const ids = createIdSource();
    const seen = new Set<string>();
    // 2 000 ids and secrets take several 4 KiB pools.
    for (let i = 0; i < 2000; i++) {
      const id = ids.id('drf');
      expect(id).toMatch(/^drf_[0-9a-f]{16}$/);
      seen.add(id);
      expect(ids.secret('op', 24)).toMatch(/^op_[A-Za-z0-9_-]{32}$/);
    }
    expect(seen.size).toBe(2000);
  });

  it('keeps a prefix of any length whole', () => {
    const long = 'p'.repeat(40);
    expect(createIdSource(1).id(long)).toMatch(new RegExp(`^${long}_[0-9a-f]{16}$`));
    expect(createIdSource(1).id('')).toMatch(/^_[0-9a-f]{16}$/);
  });
});
