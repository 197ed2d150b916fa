// Keeps ARCHITECTURE.md true: its "Who may import whom" table is parsed into the allowed edges, and the
// import edges of src/, suites/ and fuzz/ must match it both ways.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { existingLayers, importEdges, importSpecifiers, judgeArchitecture, layerOf, parseAllowedTable, tsFiles } from './support/architecture.js';

const root = resolve(import.meta.dirname, '..');
const files = ['src', 'suites', 'fuzz'].flatMap((d) => tsFiles(join(root, d)));

describe('architecture', () => {
  it('the import edges of the code are exactly the ones ARCHITECTURE.md allows', () => {
    expect(files.length).toBeGreaterThan(10);
    const allowed = parseAllowedTable(readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8'));
    const verdict = judgeArchitecture(allowed, importEdges(root, files), existingLayers(root));
    expect(verdict).toEqual({ forbidden: [], unknownLayers: [], unused: [] });
  });

  it('keeps undici inside src/runner and Math.random out of the code base', () => {
    const violations: string[] = [];
    for (const file of files) {
      const src = readFileSync(file, 'utf8');
      const undici = importSpecifiers(src).some((s) => s === 'undici' || s.startsWith('undici/'));
      if (undici && layerOf(root, file) !== 'runner') violations.push(`${relative(root, file)} imports undici outside src/runner`);
      if (/\bMath\.random\s*\(/.test(src)) violations.push(`${relative(root, file)} uses Math.random`);
    }
    expect(violations).toEqual([]);
  });
});

describe('the architecture checker bites', () => {
  const table = (rows: string) => `# A\n\n## Who may import whom\n\n| layer | may import |\n|---|---|\n${rows}\n\nProse after the table.\n\n## Next\n| x | y |\n`;
  const layers = ['protocol', 'runtime', 'kit'];
  const edge = (from: string, to: string | undefined, spec = `../${to}/x.js`) => ({ file: `src/${from}/a.ts`, from, to, spec });
  const tight = parseAllowedTable(table('| protocol | nothing (it is the vocabulary) |\n| runtime | protocol |\n| kit | protocol, runtime (the oracle, and more, with commas) |'));

  it('reads names before any parenthesis, commas inside a note included, and stops at the next section', () => {
    expect(tight).toEqual(new Map([['protocol', new Set()], ['runtime', new Set(['protocol'])], ['kit', new Set(['protocol', 'runtime'])]]));
  });

  it('accepts a table that matches the edges', () => {
    const edges = [edge('runtime', 'protocol'), edge('kit', 'protocol'), edge('kit', 'runtime')];
    expect(judgeArchitecture(tight, edges, layers)).toEqual({ forbidden: [], unknownLayers: [], unused: [] });
  });

  it('fails on an edge the table does not allow, and on an import outside every layer', () => {
    const edges = [edge('runtime', 'protocol'), edge('kit', 'protocol'), edge('kit', 'runtime'), edge('runtime', 'kit'), edge('kit', undefined, '../../scripts/x.js')];
    expect(judgeArchitecture(tight, edges, layers).forbidden).toEqual([
      'src/runtime/a.ts (runtime) imports ../kit/x.js (kit)',
      'src/kit/a.ts (kit) imports ../../scripts/x.js, outside every layer',
    ]);
  });

  it('fails on a row naming a layer that does not exist, and on a layer without a row', () => {
    const t = parseAllowedTable(table('| protocol | nothing |\n| runtime | protocol, engine |\n| engine | protocol |'));
    expect(judgeArchitecture(t, [edge('runtime', 'protocol')], layers).unknownLayers).toEqual([
      'row runtime: may import engine, no such layer',
      'row engine: no such layer',
      'layer kit has no row in the table',
    ]);
  });

  it('fails on an allowed edge that no import uses', () => {
    expect(judgeArchitecture(tight, [edge('runtime', 'protocol'), edge('kit', 'protocol')], layers).unused).toEqual(['kit → runtime: allowed, but no import uses it']);
  });

  it('refuses a table it cannot read rather than allowing everything', () => {
    expect(() => parseAllowedTable('# no table here')).toThrow(/no "## Who may import whom" section/);
    // A word that is no layer (say "everything") is read as a name, and judged as a layer that does not exist.
    expect(judgeArchitecture(parseAllowedTable(table('| kit | everything |')), [], ['kit']).unknownLayers).toEqual(['row kit: may import everything, no such layer']);
    expect(() => parseAllowedTable(table('| kit | protocol; runtime |'))).toThrow(/row kit: cannot read "protocol; runtime"/);
    expect(() => parseAllowedTable(table('| kit | protocol |\n| kit | runtime |'))).toThrow(/layer kit has two rows/);
  });

  it('finds static, type-only, side-effect, dynamic and re-export imports', () => {
    const src = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "import '../c.js';",
      "export { d } from './d.js';",
      "export * from './e.js';",
      "const f = await import('./f.js');",
      "import {\n  g,\n  h,\n} from './gh.js';",
      "// a comment that says import x from './not-an-import.js' is not an import",
    ].join('\n');
    expect(importSpecifiers(src).sort()).toEqual(['../b.js', '../c.js', './a.js', './d.js', './e.js', './f.js', './gh.js']);
  });
});
