/**
 * The tests run src/, suites/ and fuzz/ as the build compiled them (dist/), loaded by Node itself as the CLI
 * loads them, rather than each worker transforming every source file again: the transform and the module
 * runner cost about a tenth of the suite's CPU. `setup` (vitest's global setup) brings dist/ up to date before
 * any test starts, and the plugin points every relative import of a source file at its compiled twin, refusing
 * one whose source is gone. Watch mode builds only at its start (README.md says so).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');
const COMPILED = new Set(['src', 'suites', 'fuzz']);
/** What vitest leaves to Node (server.deps.external): the compiled files. */
export const COMPILED_DIR = new RegExp(`^${join(ROOT, 'dist').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`);

/** Vitest's global setup: `tsc -b` (incremental: a fraction of a second when nothing changed), then the CLI's bundle. */
export function setup(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'pipe' });
  } catch (e) {
    const out = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`the build (tsc -b tsconfig.json) failed, so the tests would judge stale code:\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
  // The bundle bin/openport-conform.js loads (the tests that start the real binary run it).
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { cwd: ROOT, stdio: 'pipe' });
}

/** The compiled file a relative import of a source file resolves to, or undefined for anything else. */
export function compiledTwin(source: string, importer: string | undefined): string | undefined {
  if (importer === undefined || !source.startsWith('.')) return undefined;
  const file = resolve(dirname(importer), source);
  const rel = relative(ROOT, file);
  const top = rel.split(sep)[0]!;
  if (!COMPILED.has(top) || !/\.[jt]s$/.test(rel)) return undefined;
  const original = join(ROOT, rel.replace(/\.js$/, '.ts'));
  // A source deleted or renamed leaves its compiled file behind (tsc never removes one): it must not be used.
  if (!existsSync(original)) throw new Error(`${relative(ROOT, original)} does not exist (its compiled file in dist/ is left over from an earlier build)`);
  const out = join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
  if (!existsSync(out)) throw new Error(`${rel} has no compiled twin ${relative(ROOT, out)}: is it outside tsconfig.json's "include"?`);
  return out;
}

/** The vite plugin: imports from the tests (and test support) of src/, suites/ and fuzz/ load dist/. */
export const compiledSources = {
  name: 'openport-conform:compiled-sources',
  enforce: 'pre' as const,
  resolveId(source: string, importer: string | undefined) {
    const out = compiledTwin(source, importer);
    return out ?? null;
  },
};
