/**
 * Conformance profiles: profiles/<name>.yaml names a requirement layer, describes it and may extend another
 * profile. Its requirements are not listed in the file: they are the rows of the requirement table
 * (src/protocol/requirements.ts) whose layer is the profile's name, in table order, after those of the
 * profiles it extends. Adding a requirement to a layer adds it to that profile and to every profile above.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { ajv, parseShippedYaml, yamlProblem } from '../kit/lazy.js';
import { LAYERS, REQUIREMENTS, type Requirement } from '../protocol/requirements.js';
import { ToolError } from '../kit/check.js';
import { PACKAGE_ROOT } from '../kit/paths.js';

/** The shipped profiles, weakest first; each extends the one before. */
export const PROFILE_NAMES: readonly string[] = LAYERS;
export const PROFILES_DIR = join(PACKAGE_ROOT, 'profiles');

export interface ProfileFile {
  /** A requirement layer: the profile's own requirements are the table's rows of this layer. */
  name: string;
  extends?: string;
  description: string;
}

export interface LoadedProfile {
  name: string;
  description: string;
  /** Root first: ['core', 'write-lifecycle', 'state-witness']. */
  chain: string[];
  /** Inherited requirements first, each profile's in requirement-table order. */
  requirements: Requirement[];
}

export const profileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    extends: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;
/** Schema problems of a profile document (the schema is compiled on first use). */
export function profileSchemaErrors(data: unknown): ErrorObject[] {
  validator ??= new (ajv().Ajv)({ allErrors: true, verbose: true, validateSchema: false }).compile(profileSchema);
  return validator(data) ? [] : (validator.errors ?? []);
}

export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest candidates to a misspelt name, best first. */
export function nearest(name: string, candidates: readonly string[], n = 3): string[] {
  const up = name.toUpperCase();
  return [...candidates]
    .map((c) => ({ c, d: levenshtein(up, c.toUpperCase()) }))
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, n)
    .map((x) => x.c);
}

/** Names of the profile files in `dir`. */
export function profileNamesIn(dir = PROFILES_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

function readProfileFile(name: string, dir: string): { file: string; data: ProfileFile } {
  const file = join(dir, `${name}.yaml`);
  if (!/^[a-z][a-z0-9-]*$/.test(name) || !existsSync(file)) {
    throw new ToolError(`unknown profile "${name}"; valid profiles: ${profileNamesIn(dir).join(', ')}`, 2);
  }
  const shown = displayPath(file);
  let data: unknown;
  try {
    data = parseShippedYaml(file);
  } catch (e) {
    throw new ToolError(`${shown}: not valid YAML: ${yamlProblem(e)}`, 2);
  }
  // The shipped profiles are schema-checked by a test, not at every start-up.
  const errors = dir === PROFILES_DIR ? [] : profileSchemaErrors(data);
  if (errors.length > 0) {
    const problems = errors.map((e) => {
      const at = e.instancePath ? e.instancePath.slice(1).replace(/\/(\d+)/g, '[$1]').replace(/\//g, '.') : '(root)';
      if (e.keyword === 'additionalProperties') {
        const allowed = Object.keys((e.parentSchema as { properties: object }).properties).join(', ');
        return `${at}: unknown key "${(e.params as { additionalProperty: string }).additionalProperty}" (allowed: ${allowed})`;
      }
      return `${at}: ${e.message}`;
    });
    throw new ToolError(`${shown}: ${problems.join('; ')}`, 2);
  }
  const p = data as ProfileFile;
  if (p.name !== name) throw new ToolError(`${shown}: name is "${p.name}" but the file is ${name}.yaml; they must match`, 2);
  if (!(LAYERS as readonly string[]).includes(p.name)) {
    throw new ToolError(`${shown}: "${p.name}" is not a requirement layer; a profile is named after the layer whose requirements it holds (${LAYERS.join(', ')})`, 2);
  }
  return { file: shown, data: p };
}

/** Load a profile and everything it extends, with their requirements from the requirement table. */
export function loadProfile(name: string, dir = PROFILES_DIR): LoadedProfile {
  const chain: string[] = [];
  const files: { file: string; data: ProfileFile }[] = [];
  for (let cur: string | undefined = name; cur !== undefined; ) {
    if (chain.includes(cur)) throw new ToolError(`profile "${name}": extends cycle ${[...chain, cur].join(' → ')}`, 2);
    const f = readProfileFile(cur, dir);
    chain.push(cur);
    files.push(f);
    cur = f.data.extends;
  }
  chain.reverse();
  files.reverse();

  // Each profile of the chain names a distinct layer (a repeated name would be a cycle), so no requirement repeats.
  const requirements = files.flatMap(({ data }) => REQUIREMENTS.filter((r) => r.layer === data.name));
  return { name, description: files[files.length - 1].data.description, chain, requirements };
}

/** Every profile in `dir`, loaded (so a broken file surfaces here too). */
/** In layer order (each after the profile it extends), not alphabetically. */
export function listProfiles(dir = PROFILES_DIR): LoadedProfile[] {
  return profileNamesIn(dir).map((n) => loadProfile(n, dir)).sort((a, b) => a.chain.length - b.chain.length || a.name.localeCompare(b.name));
}
