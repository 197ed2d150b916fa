import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderGeneratedBlocks } from '../src/report/docs.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';
import { CLAUSES } from '../src/protocol/clauses.js';

/** A docs page with generated tables: current, and listing each of `ids` exactly once with its anchor. */
function generatedPage(page: string, ids: readonly string[]): void {
  describe(`docs/${page}`, () => {
    const doc = readFileSync(new URL(`../docs/${page}`, import.meta.url), 'utf8');
    it('has current generated tables (run `npm run docs` after changing src/protocol)', () => {
      expect(renderGeneratedBlocks(doc)).toBe(doc);
    });
    it('lists every id exactly once in its table', () => {
      // Each id cell carries the anchor links point at (SARIF rules link to the requirement rows).
      for (const id of ids) expect(doc.split(`| <a id="${id.toLowerCase()}"></a>${id} |`).length - 1, id).toBe(1);
    });
  });
}

generatedPage('protocol.md', REQUIREMENTS.map((r) => r.id));
generatedPage('coverage.md', CLAUSES.map((c) => c.id));

describe('requirement basis', () => {
  it('every requirement names the section of the brief it rests on', () => {
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      expect(r.basis, r.id).toMatch(/§\d+/);
    }
  });
});
