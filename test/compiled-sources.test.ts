// The tests load the compiled twin of every source file they import (test/support/compiled.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compiledTwin } from './support/compiled.js';

const root = join(import.meta.dirname, '..');
const importer = join(root, 'test', 'kit', 'some.test.ts');

describe('compiledTwin', () => {
  it('points a relative import of src/, suites/ or fuzz/ at dist/, and leaves every other import alone', () => {
    expect(compiledTwin('../../src/kit/paths.js', importer)).toBe(join(root, 'dist', 'src', 'kit', 'paths.js'));
    expect(compiledTwin('../../suites/index.js', importer)).toBe(join(root, 'dist', 'suites', 'index.js'));
    expect(compiledTwin('../support/cli.js', importer)).toBeUndefined();
    expect(compiledTwin('vitest', importer)).toBeUndefined();
    expect(compiledTwin('../../scripts/flakes.mjs', importer)).toBeUndefined();
  });

  it('refuses an import whose source file is gone, whatever dist/ still holds', () => {
    expect(() => compiledTwin('../../src/kit/no-such-module.js', importer)).toThrow(/src\/kit\/no-such-module\.ts does not exist/);
  });
});
