// The list vitest.config.ts starts first names test files that exist: a renamed or split matrix must be
// renamed there too, or it would silently fall back to vitest's order and may end the run alone.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { LONGEST_FIRST } from './support/longest-first.js';

it('names existing test files, each once', () => {
  const root = join(import.meta.dirname, '..');
  expect(LONGEST_FIRST.filter((f) => !existsSync(join(root, f)))).toEqual([]);
  expect(new Set(LONGEST_FIRST).size).toBe(LONGEST_FIRST.length);
});
