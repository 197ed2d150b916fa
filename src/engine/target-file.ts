/**
 * Target files: YAML describing a target's domain, validated against fixtures/schemas/target.schema.json
 * and deep-merged over DEMO_TARGET. Errors name the file and the JSON path, and list the allowed keys.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ToolError } from './check.js';
import { PACKAGE_ROOT } from './paths.js';
import { DEMO_TARGET, type ResolvedTarget } from './target.js';

export const TARGET_SCHEMA_PATH = join(PACKAGE_ROOT, 'fixtures', 'schemas', 'target.schema.json');

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, strict: false, verbose: true }).compile(JSON.parse(readFileSync(TARGET_SCHEMA_PATH, 'utf8')) as object);
  return validator(data) ? [] : (validator.errors ?? []);
}

export function describeError(e: ErrorObject): string {
  const at = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    const key = (e.params as { additionalProperty: string }).additionalProperty;
    const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
    const allowed = props ? Object.keys(props).join(', ') : '(none)';
    return `${at === '/' ? '' : at}/${key}: unknown key "${key}"; allowed keys at ${at}: ${allowed}`;
  }
  if (e.keyword === 'enum') return `${at}: ${e.message} (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`;
  return `${at}: ${e.message}`;
}

/** Values that replace rather than merge: maps keyed by the target's own names, and payload templates. */
function replacesWhole(path: string[]): boolean {
  return (path.length === 1 && path[0] === 'tools') || path[path.length - 1] === 'payload';
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function merge(base: unknown, over: unknown, path: string[]): unknown {
  if (!isPlainObject(base) || !isPlainObject(over) || replacesWhole(path)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v, [...path, k]);
  return out;
}

/** Validate an already-parsed target document and merge it over DEMO_TARGET. `source` names it in errors. */
export function resolveTarget(data: unknown, source: string): ResolvedTarget {
  if (data === null || data === undefined) return structuredClone(DEMO_TARGET);
  const errors = validate(data);
  if (errors.length) {
    const lines = errors.slice(0, 8).map(describeError);
    throw new ToolError(`invalid target file ${source}: ${lines.join('; ')}${errors.length > 8 ? ` (and ${errors.length - 8} more)` : ''}`, 2);
  }
  return merge(structuredClone(DEMO_TARGET), data, []) as ResolvedTarget;
}

export function loadTargetFile(file: string): ResolvedTarget {
  if (!existsSync(file)) throw new ToolError(`target file ${file} does not exist`, 2);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`invalid target file ${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
  return resolveTarget(data, file);
}
