import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderGeneratedBlocks } from '../src/report/docs.js';
import { REQUIREMENTS } from '../src/protocol/requirements.js';
import { CLAUSES } from '../src/protocol/clauses.js';

describe('docs/protocol.md', () => {
  const doc = readFileSync(new URL('../docs/protocol.md', import.meta.url), 'utf8');
  it('has current generated tables (run `npm run docs` after changing src/protocol)', () => {
    expect(renderGeneratedBlocks(doc)).toBe(doc);
  });
  it('lists every requirement id exactly once in its table', () => {
    // Each id cell carries the anchor SARIF rules link to.
    for (const r of REQUIREMENTS) expect(doc.split(`| <a id="${r.id.toLowerCase()}"></a>${r.id} |`).length - 1, r.id).toBe(1);
  });
});

describe('docs/coverage.md', () => {
  const doc = readFileSync(new URL('../docs/coverage.md', import.meta.url), 'utf8');
  it('has a current clause table (run `npm run docs` after changing src/protocol)', () => {
    expect(renderGeneratedBlocks(doc)).toBe(doc);
  });
  it('lists every clause id exactly once, with its anchor', () => {
    for (const c of CLAUSES) expect(doc.split(`| <a id="${c.id.toLowerCase()}"></a>${c.id} |`).length - 1, c.id).toBe(1);
  });
});

describe('requirement basis', () => {
  it('every requirement names the section of the brief it rests on', () => {
    for (const r of REQUIREMENTS) {
      if (r.id.startsWith('GATE-')) continue;
      expect(r.basis, r.id).toMatch(/§\d+/);
    }
  });
});
