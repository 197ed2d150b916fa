// Keeps ARCHITECTURE.md true: every import edge between layers must be an allowed one.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');

/** Layer → layers it may import (besides itself). Mirrors the table in ARCHITECTURE.md. */
const ALLOWED: Record<string, string[]> = {
  protocol: [],
  runtime: ['protocol'],
  kit: ['protocol', 'runtime'],
  runner: ['protocol', 'runtime', 'kit'],
  selftest: ['protocol', 'runtime', 'kit', 'runner'],
  report: ['protocol', 'kit', 'runner'],
  gate: ['protocol', 'kit', 'runner', 'report'],
  evidence: ['protocol', 'kit', 'runner'],
  cli: ['protocol', 'runtime', 'kit', 'runner', 'selftest', 'report', 'gate', 'evidence', 'suites', 'fuzz'],
  suites: ['protocol', 'kit', 'fuzz'],
  fuzz: ['protocol', 'kit'],
};

function layerOf(file: string): string | undefined {
  const rel = relative(root, file).split(/[\\/]/);
  if (rel[0] === 'src') return rel[1];
  if (rel[0] === 'suites' || rel[0] === 'fuzz') return rel[0];
  return undefined;
}

function tsFiles(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out = out.concat(tsFiles(p));
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

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
  it('no code outside the renderers applies a regular expression to a result\'s message, actual or reproduce', () => {
    const files = ['src', 'suites', 'fuzz'].flatMap((d) => tsFiles(join(root, d)));
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


  it('has no forbidden import edge between layers', () => {
    const violations: string[] = [];
    const files = ['src', 'suites', 'fuzz'].flatMap((d) => tsFiles(join(root, d)));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const from = layerOf(file)!;
      const src = readFileSync(file, 'utf8');
      for (const m of src.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2];
        const to = layerOf(resolve(dirname(file), spec));
        if (to && to !== from && !(ALLOWED[from] ?? []).includes(to)) {
          violations.push(`${relative(root, file)} (${from}) imports ${spec} (${to})`);
        }
      }
      if (from !== 'runner' && /from\s+['"]undici['"]/.test(src)) violations.push(`${relative(root, file)} imports undici outside src/runner`);
      if (/\bMath\.random\s*\(/.test(src)) violations.push(`${relative(root, file)} uses Math.random`);
    }
    expect(violations).toEqual([]);
  });

  it('ARCHITECTURE.md lists exactly the layers this test enforces, each room existing', () => {
    const doc = readFileSync(join(root, 'ARCHITECTURE.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| ([a-z, ]+) \| .* \|$/gm)].flatMap((m) => m[1]!.split(',').map((x) => x.trim())).filter((x) => x !== 'layer');
    expect(rows.sort()).toEqual(Object.keys(ALLOWED).sort());
    for (const layer of Object.keys(ALLOWED)) {
      const dir = layer === 'suites' || layer === 'fuzz' ? join(root, layer) : join(root, 'src', layer);
      expect(tsFiles(dir).length, layer).toBeGreaterThan(0);
    }
  });
});
