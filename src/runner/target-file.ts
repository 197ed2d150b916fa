/**
 * Target descriptions: YAML validated against fixtures/schemas/target.schema.json. A file is complete, or
 * says `extends: NAME` and is deep-merged over a shipped description (fixtures/targets/NAME.yaml). Errors
 * name the file and the JSON path, and list the allowed keys; a tool a description refers to must be a read
 * it declares.
 */
import { isDeepStrictEqual } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Ajv, ErrorObject } from 'ajv';
import { ajv as ajvModule, parseShippedYaml, yaml, yamlProblem } from '../kit/lazy.js';
import { ToolError } from '../kit/check.js';
import { sha256Hex } from '../protocol/hash.js';
import { PACKAGE_ROOT } from '../kit/paths.js';
import type { ResolvedTarget, WriteSample } from '../kit/target.js';

export const TARGET_SCHEMA_PATH = join(PACKAGE_ROOT, 'fixtures', 'schemas', 'target.schema.json');
export const TARGETS_DIR = join(PACKAGE_ROOT, 'fixtures', 'targets');
/** The shipped target descriptions (`extends:` and `run --domain` name them). */
export const SHIPPED_TARGETS = ['demo', 'helpdesk'] as const;

/** The schema without `required`: what a file that extends another must satisfy before the merge. */
function partial(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(partial);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(schema)) if (k !== 'required' && k !== 'if' && k !== 'then' && k !== 'minItems') out[k] = partial(v);
  return out;
}

const validators: Partial<Record<'full' | 'partial', ReturnType<Ajv['compile']>>> = {};
let ajv: Ajv | undefined;
function validate(data: unknown, mode: 'full' | 'partial'): ErrorObject[] {
  let v = validators[mode];
  if (!v) {
    const schema = JSON.parse(readFileSync(TARGET_SCHEMA_PATH, 'utf8')) as object;
    ajv ??= new (ajvModule().Ajv)({ allErrors: true, strict: false, verbose: true });
    v = validators[mode] = mode === 'full' ? ajv.compile(schema) : ajv.compile({ ...(partial(schema) as object), $id: 'partial' });
  }
  return v(data) ? [] : (v.errors ?? []);
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
  if (e.keyword === 'if') return '';
  return `${at}: ${e.message}`;
}

function refuse(source: string, errors: ErrorObject[]): never {
  const lines = errors.map(describeError).filter(Boolean);
  throw new ToolError(`invalid target file ${source}: ${lines.slice(0, 8).join('; ')}${lines.length > 8 ? ` (and ${lines.length - 8} more)` : ''}`, 2);
}

/** Values that replace rather than merge: maps keyed by the target's own names, and payload templates. */
function replacesWhole(path: string[]): boolean {
  return (path.length === 1 && path[0] === 'tools') || ['payload', 'query', 'effect'].includes(path[path.length - 1]);
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

/** Every tool the description refers to must be one of its reads: a dangling name is a configuration error. */
function checkToolRefs(t: ResolvedTarget, source: string): void {
  // A read names a tool of the map (first: a misspelt read would otherwise be reported where it is referred to).
  for (const [i, r] of t.reads.entries()) {
    const tool = Object.hasOwn(t.tools, r.tool) ? t.tools[r.tool] : undefined;
    if (tool === undefined || tool.write) {
      throw new ToolError(`invalid target file ${source}: /reads/${i}/tool: "${r.tool}" is not a read tool of /tools (${Object.keys(t.tools).filter((n) => !t.tools[n]!.write).join(', ')})`, 2);
    }
  }
  const reads = new Set(t.reads.map((r) => r.tool));
  const refs: [string, string | undefined][] = [
    ['/containers/contentsTool', t.containers.contentsTool],
    ['/containers/listTool', t.containers.listTool],
    ['/readBack/tool', t.readBack.tool],
    ['/sensitiveRead/tool', t.sensitiveRead.tool],
    ['/dateRange/tool', t.dateRange.tool],
  ];
  for (const [at, tool] of refs) {
    if (tool !== undefined && !reads.has(tool)) {
      throw new ToolError(`invalid target file ${source}: ${at}: "${tool}" is not a tool of /reads (${[...reads].join(', ')})`, 2);
    }
  }
}

/**
 * Cross-field consistency, the tool's to check (a contradiction would otherwise surface as the server's MUST
 * failure): every scope a tool, read or write sample names is one of /scopes, and a read's are its tool's; every write sample is a write tool of the tool map, with the risk the map gives it; the second
 * tenant and the second container are others than the first.
 */
function checkConsistency(t: ResolvedTarget, source: string): void {
  const known = new Set(t.scopes);
  const problems: string[] = [];
  const scopesAt = (at: string, scopes: readonly string[]) => {
    for (const s of scopes) if (!known.has(s)) problems.push(`${at}/scopes: "${s}" is not one of /scopes (${t.scopes.join(', ')})`);
  };
  // AUTHZ-001 gives a key the scopes a read names and expects the read served: they are its tool's. (A sample's
  // may differ from a stale map's: the checks of writes take the server's declared scopes where it lists them.)
  const toolScopes = (at: string, name: string, scopes: readonly string[]) => {
    const own = Object.hasOwn(t.tools, name) ? t.tools[name]!.scopes : undefined;
    if (own && !isDeepStrictEqual([...new Set(own)].sort(), [...new Set(scopes)].sort())) problems.push(`${at}/scopes: [${scopes.join(', ')}] disagrees with /tools/${name}/scopes [${own.join(', ')}]`);
  };
  for (const [name, tool] of Object.entries(t.tools)) scopesAt(`/tools/${name}`, tool.scopes);
  t.reads.forEach((r, i) => {
    scopesAt(`/reads/${i}`, r.scopes);
    toolScopes(`/reads/${i}`, r.tool, r.scopes);
  });
  if (t.otherOrgId === t.orgId) problems.push(`/otherOrgId: "${t.otherOrgId}" is /orgId too; the cross-tenant checks need a second tenant`);
  if (t.containers.secondary === t.containers.primary) problems.push(`/containers/secondary: "${t.containers.secondary}" is /containers/primary too; the allow-list checks need a second container`);
  const samples: [string, WriteSample][] = [
    ['/writes/create', t.writes.create], ['/writes/update', t.writes.update], ['/writes/highRisk', t.writes.highRisk], ['/writes/drift', t.writes.drift],
    ...(t.writes.others ?? []).map((s, i): [string, WriteSample] => [`/writes/others/${i}`, s]),
    ...(t.writes.failing ? [['/writes/failing', t.writes.failing] as [string, WriteSample]] : []),
  ];
  for (const [at, s] of samples) {
    scopesAt(at, s.scopes);
    const tool = Object.hasOwn(t.tools, s.action) ? t.tools[s.action] : undefined;
    if (!tool?.write) problems.push(`${at}/action: "${s.action}" is not a write tool of /tools${tool ? ` (/tools/${s.action}/write is false)` : ''}`);
    else if (tool.risk !== s.risk) problems.push(`${at}/risk: ${s.risk} disagrees with /tools/${s.action}/risk (${tool.risk})`);
  }
  if (problems.length) {
    throw new ToolError(`invalid target file ${source}: ${problems.slice(0, 8).join('; ')}${problems.length > 8 ? ` (and ${problems.length - 8} more)` : ''}`, 2);
  }
}

/**
 * The description with the scopes a server's own tool map declares (tool name → required scopes): the tool
 * map, each read's and each write sample's scopes. The embedded runtime describes itself this way, so a
 * runtime variant that maps tools to scopes differently is described as it is, never as the shipped file guesses.
 */
export function withToolScopes(t: ResolvedTarget, tools: readonly { name: string; requiredScopes: readonly string[] }[]): ResolvedTarget {
  const scopesOf = new Map(tools.map((x) => [x.name, [...x.requiredScopes]]));
  const rescope = <T extends { scopes: string[] }>(x: T, name: string): T => ({ ...x, scopes: scopesOf.get(name) ?? x.scopes });
  const w = t.writes;
  return {
    ...t,
    tools: Object.fromEntries(Object.entries(t.tools).map(([name, x]) => [name, rescope(x, name)])),
    reads: t.reads.map((r) => rescope(r, r.tool)),
    writes: {
      create: rescope(w.create, w.create.action),
      update: rescope(w.update, w.update.action),
      highRisk: rescope(w.highRisk, w.highRisk.action),
      drift: rescope(w.drift, w.drift.action),
      ...(w.others ? { others: w.others.map((o) => rescope(o, o.action)) } : {}),
      ...(w.failing ? { failing: rescope(w.failing, w.failing.action) } : {}),
    },
  };
}

const cache = new Map<string, ResolvedTarget>();

/** A shipped target description by name (fixtures/targets/NAME.yaml). */
export function shippedTarget(name: string): ResolvedTarget {
  if (!(SHIPPED_TARGETS as readonly string[]).includes(name)) throw new ToolError(`unknown target description "${name}"; shipped: ${SHIPPED_TARGETS.join(', ')}`, 2);
  let t = cache.get(name);
  if (!t) {
    // Shipped descriptions are validated by a test, not at every start-up (compiling the schema costs ~50 ms).
    t = parseShippedYaml(join(TARGETS_DIR, `${name}.yaml`)) as ResolvedTarget;
    cache.set(name, t);
  }
  return structuredClone(t);
}

/** Validate an already-parsed target document (merging it over what it extends). `source` names it in errors. */
export function resolveTarget(data: unknown, source: string): ResolvedTarget {
  if (!isPlainObject(data)) throw new ToolError(`invalid target file ${source}: expected a YAML mapping of target keys`, 2);
  const base = typeof data.extends === 'string' ? data.extends : undefined;
  let errors = validate(data, base === undefined ? 'full' : 'partial');
  if (errors.length) refuse(source, errors);
  let resolved: unknown = data;
  if (base !== undefined) {
    const { extends: _, ...rest } = data;
    resolved = merge(shippedTarget(base), rest, []);
    // What the base fixes no longer binds once the file replaces it: its own tool map may be stale (noted, not
    // failed), and its own sensitive-field list is the operator's declaration.
    const fixed = { ...(resolved as ResolvedTarget).fixed };
    const own = (rest.fixed ?? {}) as Record<string, unknown>;
    if ('tools' in rest && !('tools' in own)) fixed.tools = false;
    if ('sensitiveFields' in rest && !('sensitiveFields' in own)) fixed.sensitiveFields = true;
    if ('rateLimit' in rest && !('rateLimit' in own)) fixed.rateLimit = true;
    (resolved as ResolvedTarget).fixed = fixed;
    errors = validate(resolved, 'full');
    if (errors.length) refuse(`${source} (extending ${base})`, errors);
  }
  const t = resolved as ResolvedTarget;
  checkToolRefs(t, source);
  checkConsistency(t, source);
  return t;
}

/**
 * What a report records of the --target file it ran with (`target.description`, a SHA-256 of the file): the
 * shards of one run share it, so `merge` can refuse pieces run with another description. Nothing when the run
 * had no file, or the file cannot be read.
 */
export function withDescription(file: string | undefined): { description?: string } {
  if (file === undefined) return {};
  try {
    return { description: `sha256:${sha256Hex(readFileSync(file, 'utf8'))}` };
  } catch {
    return {};
  }
}

export function loadTargetFile(file: string): ResolvedTarget {
  if (!existsSync(file)) throw new ToolError(`target file ${file} does not exist`, 2);
  let data: unknown;
  try {
    data = yaml().parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`invalid target file ${file}: not valid YAML: ${yamlProblem(e)}`, 2);
  }
  return resolveTarget(data, file);
}
