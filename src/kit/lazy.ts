/**
 * Libraries that only some commands and paths call, loaded on first use: `--help`, `explain` or a usage error
 * should not pay for loading yaml and ajv (about 140 modules) that they never call. They are CommonJS
 * packages, so a require keeps the callers synchronous; Node caches the module after the first call.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { PACKAGE_ROOT } from './paths.js';

const require = createRequire(import.meta.url);

export const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
/** A YAML parse error in one line: the library's message without its code frame ("… at line 11, column 8"). */
export const yamlProblem = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0]!.replace(/:\s*$/, '');
export const ajv = (): typeof import('ajv') => require('ajv') as typeof import('ajv');
export const ajv2020 = (): typeof import('ajv/dist/2020.js') => require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');

/**
 * The YAML files this package ships (profiles, target descriptions) parsed, without loading yaml: loading and
 * parsing cost a run about a tenth of a second. fixtures/compiled/shipped-yaml.json (written by `npm run docs`)
 * holds each file's data with the SHA-256 of its text, and is used only while the hash matches: a shipped file
 * edited after it was compiled is parsed as written, never read from a stale entry.
 */
export function parseShippedYaml(file: string, table: CompiledYaml = shippedYaml()): unknown {
  const text = readFileSync(file, 'utf8');
  const entry = table[relative(PACKAGE_ROOT, file).split(sep).join('/')];
  if (entry !== undefined && entry.sha256 === createHash('sha256').update(text).digest('hex')) return structuredClone(entry.data);
  return yaml().parse(text);
}

export const SHIPPED_YAML_FILE = join(PACKAGE_ROOT, 'fixtures', 'compiled', 'shipped-yaml.json');
/** The package's YAML files that runs read at start-up: the profiles and the shipped target descriptions. */
export const SHIPPED_YAML_DIRS = ['profiles', 'fixtures/targets'] as const;

/** Package-relative path (with /) → the SHA-256 of the file's text and its data. */
export type CompiledYaml = Record<string, { sha256: string; data: unknown }>;

let compiled: CompiledYaml | undefined;
function shippedYaml(): CompiledYaml {
  if (compiled === undefined) {
    try {
      compiled = JSON.parse(readFileSync(SHIPPED_YAML_FILE, 'utf8')) as CompiledYaml;
    } catch {
      // Missing or unreadable: every file is parsed as YAML, only slower.
      compiled = {};
    }
  }
  return compiled;
}

/** fixtures/compiled/shipped-yaml.json as `npm run docs` writes it from the files as they are now. */
export function shippedYamlText(): string {
  const out: CompiledYaml = {};
  for (const dir of SHIPPED_YAML_DIRS) {
    for (const name of readdirSync(join(PACKAGE_ROOT, dir)).filter((f) => f.endsWith('.yaml')).sort()) {
      const text = readFileSync(join(PACKAGE_ROOT, dir, name), 'utf8');
      out[`${dir}/${name}`] = { sha256: createHash('sha256').update(text).digest('hex'), data: yaml().parse(text) };
    }
  }
  return `${JSON.stringify(out)}\n`;
}
