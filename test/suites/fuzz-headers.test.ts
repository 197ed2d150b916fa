// FUZZ-001 sends every malformed Authorization header once a run, whatever the seed and however few cases
// are generated: a token parser that crashes on one of them is found by every run.
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';

describe('FUZZ-001 and malformed Authorization headers', () => {
  it('finds a parser that crashes on a header of three parts with one generated case, at any seed; the clean runtime passes', async () => {
    for (const seed of [100, 101, 102]) {
      const r = (await run({ faults: ['fuzz-auth-header-crash'], only: ['FUZZ-001'], seed, fuzz: { runs: 1 } })).results[0]!;
      expect(r.status, `seed ${seed}: ${r.message}`).toBe('fail');
      expect(r.message).toBe('server error under generated input');
    }
    const clean = (await run({ only: ['FUZZ-001'], seed: 100, fuzz: { runs: 1 } })).results[0]!;
    expect(clean.status, clean.message).toBe('pass');
    expect(clean.actual).toMatch(/14 malformed Authorization headers on the manifest/);
  }, 60_000);
});
