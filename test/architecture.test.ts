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

describe('architecture', () => {
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
