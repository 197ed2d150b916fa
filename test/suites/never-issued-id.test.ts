// The id a write check sends as "never issued" must be one no server of the brief's shapes has issued: random
// hex ids, sequence numbers zero-padded or not, ids with dashes. A neighbour (the last character changed) is
// issued where a sequence numbers ids (the sequential-ids variant's full run keeps that true end to end).
import { describe, expect, it } from 'vitest';
import { neverIssuedId } from '../../suites/lib-write.js';

describe('neverIssuedId', () => {
  it.each([
    ['drf_3f045091d8115345', 'drf_ffffffffffffffff'],
    ['drf_0000000000000031', 'drf_3333333333333333'],
    ['drf_31', 'drf_333333333333'],
    ['pfl_0000000000000000', 'pfl_1111111111111111'],
    ['drf_2b5e-41aa-9c0d', 'drf_eeee-eeee-eeee'],
    ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'f'.repeat(64)],
  ])('%s → %s', (id, never) => {
    expect(neverIssuedId(id)).toBe(never);
  });

  it('is never an id a sequence of up to a million issued, whatever its width', () => {
    for (const width of [1, 4, 8, 16]) {
      const issued = new Set(Array.from({ length: 1000 }, (_, i) => `drf_${String(i * 1000 + 1).padStart(width, '0')}`));
      for (const id of [...issued].slice(0, 50)) expect(issued.has(neverIssuedId(id)), `${id} → ${neverIssuedId(id)}`).toBe(false);
    }
  });
});
