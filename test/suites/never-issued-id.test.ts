// The id a write check sends as "never issued" must be one no server of the brief's shapes has issued: random
// hex ids, sequence numbers zero-padded or not, ids with dashes. A neighbour (the last character changed) is
// issued where a sequence numbers ids (the sequential-ids variant's full run keeps that true end to end).
import { describe, expect, it } from 'vitest';
import { neverIssuedId } from '../../suites/lib-write.js';

describe('neverIssuedId', () => {
  it.each([
    ['drf_3f045091d8115345', 'drf_3f045091d8115340'],
    ['drf_0000000000000031', 'drf_9000000000000031'],
    ['drf_000000000000001f', 'drf_100000000000001f'],
    ['drf_31', 'drf_31000000'],
    ['drf_o1', 'drf_o1000000'],
    ['pfl_0000000000000000', 'pfl_9000000000000000'],
    // A UUID keeps its version and variant digits, a ULID its alphabet and first character, a snowflake its width.
    ['drf_2b5e41aa-9c0d-4f1e-8a3b-0c4d5e6f7a8b', 'drf_2b5e41aa-9c0d-4f1e-8a3b-0c4d5e6f7a80'],
    ['pfl_01HZX3K9V7Q2M8N4P6R5T1W0YA', 'pfl_11HZX3K9V7Q2M8N4P6R5T1W0YA'],
    ['1787654321098765432', '1787654321098765430'],
    ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a00'],
  ])('%s → %s', (id, never) => {
    expect(neverIssuedId(id)).toBe(never);
  });

  it('is never an id a sequence issued, and keeps a padded one\'s width: padded (issued up to nine tenths of the width) or unpadded', () => {
    for (const width of [4, 8, 16]) {
      const last = Math.floor(0.9 * 10 ** Math.min(width, 15));
      const step = Math.max(1, Math.floor(last / 1000));
      const number = (id: string) => Number(id.slice(4));
      // The ids that show their padding (a leading zero), among a sequence that has issued up to `last`.
      for (let n = 1; n < 10 ** (width - 1) && n <= last; n += step) {
        const id = `drf_${String(n).padStart(width, '0')}`;
        const never = neverIssuedId(id);
        expect(never, id).toMatch(new RegExp(`^drf_\\d{${width}}$`));
        expect(number(never) > last || width === 16, `${id} → ${never}`).toBe(true);
      }
    }
    for (let n = 1; n <= 99_999; n += 7) {
      expect(Number(neverIssuedId(`drf_${n}`).slice(4))).toBeGreaterThan(99_999);
      // The same counter written in base 36 (`drf_o1`), as some stores shorten ids.
      expect(parseInt(neverIssuedId(`drf_${n.toString(36)}`).slice(4), 36)).toBeGreaterThan(99_999);
    }
  });
});
