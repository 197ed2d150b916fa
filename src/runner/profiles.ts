/**
 * Conformance profiles: profiles/<name>.yaml lists requirement ids with their level and title, and may
 * extend another profile. The requirement table (src/protocol/requirements.ts) stays the source of truth:
 * a profile that disagrees with it is refused, naming the file, the entry and the field.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { LAYERS, REQUIREMENTS, hasRequirement, requirement, type Requirement } from '../protocol/requirements.js';
import { ToolError } from '../kit/check.js';
import { PACKAGE_ROOT } from '../kit/paths.js';

/** The shipped profiles, weakest first; each extends the one before. */
export const PROFILE_NAMES: readonly string[] = LAYERS;
export const PROFILES_DIR = join(PACKAGE_ROOT, 'profiles');

export interface ProfileFile {
  name: string;
  extends?: string;
  description: string;
  requirements: { id: string; level: string; title: string }[];
}

export interface LoadedProfile {
  name: string;
  description: string;
  /** Root first: ['core', 'write-lifecycle', 'state-witness']. */
  chain: string[];
  /** Inherited requirements first, in file order. */
  requirements: Requirement[];
}

export const profileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'requirements'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
    extends: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    requirements: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['id', 'level', 'title'],
        properties: { id: { type: 'string' }, level: { enum: ['MUST', 'SHOULD'] }, title: { type: 'string' } },
      },
    },
  },
} as const;

let validator: ReturnType<Ajv['compile']> | undefined;
/** Schema problems of a profile document (the schema is compiled on first use). */
export function profileSchemaErrors(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, validateSchema: false }).compile(profileSchema);
  return validator(data) ? [] : (validator.errors ?? []);
}

function levenshtein(a: string, b: string): number {
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
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`${shown}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
  // The shipped profiles are schema-checked by a test, not at every start-up; their ids, levels and titles are
  // still checked against the requirement table below.
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
  return { file: shown, data: p };
}

/** Load a profile and everything it extends, verified against the requirement table. */
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

  const seen = new Map<string, string>();
  const requirements: Requirement[] = [];
  const allIds = REQUIREMENTS.map((r) => r.id);
  for (const { file, data } of files) {
    data.requirements.forEach((entry, i) => {
      const at = `${file}: requirements[${i}]`;
      if (!hasRequirement(entry.id)) {
        throw new ToolError(`${at}.id "${entry.id}" is not a requirement id; nearest: ${nearest(entry.id, allIds).join(', ')}`, 2);
      }
      const r = requirement(entry.id);
      if (entry.level !== r.level) throw new ToolError(`${at}.level is ${entry.level} but requirement ${r.id} is ${r.level}`, 2);
      if (entry.title !== r.title) throw new ToolError(`${at}.title differs from requirement ${r.id}: expected ${JSON.stringify(r.title)}`, 2);
      const dup = seen.get(r.id);
      if (dup) throw new ToolError(`${at}.id ${r.id} is already listed by ${dup}`, 2);
      seen.set(r.id, file);
      requirements.push(r);
    });
  }
  return { name, description: files[files.length - 1].data.description, chain, requirements };
}

/** Every profile in `dir`, loaded (so a broken file surfaces here too). */
/** In layer order (each after the profile it extends), not alphabetically. */
export function listProfiles(dir = PROFILES_DIR): LoadedProfile[] {
  return profileNamesIn(dir).map((n) => loadProfile(n, dir)).sort((a, b) => a.chain.length - b.chain.length || a.name.localeCompare(b.name));
}
