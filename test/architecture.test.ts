// Keeps ARCHITECTURE.md true: its "Who may import whom" table is parsed into the allowed edges, and the
// import edges of src/, suites/ and fuzz/ must match it both ways.
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { existingLayers, importEdges, importSpecifiers, judgeArchitecture, layerOf, parseAllowedTable, tsFiles } from './support/architecture.js';

const root = resolve(import.meta.dirname, '..');
const files = ['src', 'suites', 'fuzz'].flatMap((d) => tsFiles(join(root, d)));

/**
 * Results are data; their prose is rendered, never parsed. A regular expression applied to a result's
 * `message`, `actual` or `reproduce` outside the renderers (src/report) is reading prose back: a reworded
 * message would silently change what it decides. Errors' own messages (`e.message`, `err.message`,
 * `(e as Error).message`) are not results and may be matched.
 */
const PROSE_FIELD = String.raw`(?<!\b(?:e|err|error|cause)|as Error\))\.(?:message|actual|reproduce)\b`;
const PARSES_PROSE = new RegExp(
  [
    // /re/.test(r.actual), RE.exec(`${r.actual} ${r.message}`), re.test(x.reproduce ?? '')
    String.raw`\.(?:test|exec)\([^;\n]*?` + PROSE_FIELD,
    // r.message.match(/…/), (r.reproduce ?? '').search(…), r.actual.replace(/…/, …), r.message.split(/…/)
    PROSE_FIELD + String.raw`(?:\s*\?\?\s*(?:''|""|\x60\x60))?\)?\??\.(?:match|matchAll|search)\(`,
    PROSE_FIELD + String.raw`(?:\s*\?\?\s*(?:''|""|\x60\x60))?\)?\??\.(?:replace|replaceAll|split)\(\s*\/`,
  ].join('|'),
);
/** The migration path of baselines written before findings were data (it reads the old prose, and only it). */
const PROSE_READER_ALLOWED = ['src/gate/legacy-fingerprint.ts'];

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

  it('no code outside the renderers applies a regular expression to a result\'s message, actual or reproduce', () => {
    const offenders = files
      .map((f) => relative(root, f).split(/[\\/]/).join('/'))
      .filter((rel) => !rel.startsWith('src/report/') && !PROSE_READER_ALLOWED.includes(rel))
      .flatMap((rel) => readFileSync(join(root, rel), 'utf8').split('\n').map((line, i) => ({ at: `${rel}:${i + 1}`, line })))
      .filter(({ line }) => PARSES_PROSE.test(line))
      .map(({ at, line }) => `${at}: ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('the prose guard catches the parsing it forbids, and lets errors\' own messages be', () => {
    const planted = [
      "return /\\b(?:agent|common)\\.[a-z_]+\\b/.exec(`${r.actual ?? ''} ${r.message ?? ''}`)?.[0] ?? '';",
      'const m = /HTTP (\\d{3})/.exec(result.actual);',
      "const inProcess = FAILING.test(r.reproduce ?? '');",
      "const curl = (r.reproduce ?? '').match(/-X ([A-Z]+)/);",
      "const words = res.message.split(/\\s+/);",
      "const code = r.actual?.replace(/^HTTP \\d+ /, '');",
    ];
    for (const line of planted) expect(PARSES_PROSE.test(line), line).toBe(true);
    const allowed = [
      "const reason = e.message && !/^\\d+$/.test(e.message) ? e.message : 'the request failed';",
      "throw new ToolError(`not valid YAML: ${(e as Error).message.split('\\n')[0]}`, 2);",
      "const what = redactSecrets(m.message.split(secret).join(redactToken(secret)), values);",
      'if (r.message) more.push(r.message);',
      "const id = /^[A-Z]+-\\d{3}$/.test(r.id);",
    ];
    for (const line of allowed) expect(PARSES_PROSE.test(line), line).toBe(false);
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
