/**
 * The gate's configuration file (openport-gate.yaml) and the baseline file, both YAML validated with ajv
 * against fixtures/schemas/*.schema.json: unknown keys are errors naming the file, the path and the
 * allowed keys. Credentials in the config name an environment variable or a file, never the value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv';
import { ajv, yaml, yamlProblem } from '../kit/lazy.js';
import { ToolError } from '../kit/check.js';
import { PACKAGE_ROOT } from '../kit/paths.js';
import { REPORT_OPTIONS } from '../report/options.js';
import { defaultShown, getPath, RUN_OPTIONS, type OptionDef } from '../runner/options.js';
import { describeError } from '../runner/target-file.js';

export interface SecretRef { env?: string; file?: string }

/**
 * The gate configuration. The keys of run and report options are the option tables' `config` paths (read
 * them with configValues); the rest belong to the gate.
 */
export interface GateConfig {
  url?: string;
  credentials?: { token?: SecretRef; adminHeaders?: (SecretRef & { name: string })[] };
  baseline?: string;
  scan?: ScanConfig;
  deployment?: { files?: string[]; live?: boolean; maxWindowHours?: number; fail?: string[] };
  [optionKey: string]: unknown;
}

/** Every option with a gate-config key: the run options, then the report options. */
const CONFIG_OPTIONS: Record<string, OptionDef<any>> = { ...RUN_OPTIONS, ...REPORT_OPTIONS };

const SECRET_REF = {
  type: 'object',
  additionalProperties: false,
  properties: { env: { type: 'string', minLength: 1 }, file: { type: 'string', minLength: 1 } },
  oneOf: [{ required: ['env'] }, { required: ['file'] }],
};

/** The JSON Schema of one option's config value, from its parser's range, its choices or its kind. */
function optionSchema(def: OptionDef<any>): Record<string, unknown> {
  const shown = defaultShown(def, 'gate');
  const description = { description: `${def.help}${shown ? ` (default: ${shown})` : ''}` };
  if (def.secret === 'token') return { $ref: '#/definitions/secretRef', description: 'The agent token: the environment variable or the file that holds it, never the value.' };
  if (def.secret === 'headers') {
    const { properties, ...ref } = SECRET_REF;
    const items = { ...ref, required: ['name'], properties: { name: { type: 'string', minLength: 1 }, ...properties } };
    return { type: 'array', items, description: 'Admin-plane headers: each a name and the environment variable or the file that holds its value, never the value.' };
  }
  if (def.configSchema) return { ...def.configSchema, ...description };
  if (def.list) return { type: 'array', items: def.choices ? { enum: [...def.choices] } : { type: 'string' }, ...description };
  if (def.choices) return { enum: [...def.choices], ...description };
  if (def.range) return { type: 'integer', minimum: def.range.min, maximum: def.range.max, ...description };
  return { type: def.arg ? 'string' : 'boolean', ...description };
}

/** Puts `schema` at the dotted config `path`, creating the nested objects (closed, like every level). */
function place(properties: Record<string, any>, path: string, schema: Record<string, unknown>): void {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) {
    properties[head!] ??= schema;
    return;
  }
  properties[head!] ??= { type: 'object', additionalProperties: false, properties: {} };
  place(properties[head!].properties, rest.join('.'), schema);
}

/**
 * The schema of openport-gate.yaml: url, the option tables' config keys in table order, then the gate's own
 * keys. fixtures/schemas/gate-config.schema.json is this, written by `npm run docs` (a test keeps it current).
 */
export function gateConfigSchema(): Record<string, unknown> {
  const properties: Record<string, any> = { url: { type: 'string', pattern: '^https?://', description: 'Base URL of the server; absent: the embedded reference runtime.' } };
  for (const def of Object.values(CONFIG_OPTIONS)) if (def.config) place(properties, def.config, optionSchema(def));
  Object.assign(properties, GATE_KEYS);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'openport-conform/gate-config.schema.json',
    title: 'openport-conform gate configuration (openport-gate.yaml)',
    description: 'Every key is optional; flags of `openport-conform gate` win over these keys. Credentials are never values: they name an environment variable or a file.',
    type: 'object',
    additionalProperties: false,
    properties,
    definitions: { secretRef: SECRET_REF },
  };
}

/** The gate's own keys (its flags --baseline, --scan, --history, --deployment, --max-window-hours, --fail-on set some). */
const GATE_KEYS = {
  baseline: { type: 'string', description: 'Path of the baseline of known failures.' },
  scan: {
    type: 'object',
    additionalProperties: false,
    properties: {
      roots: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'Directories of the release tree.' },
      tracked: { type: 'boolean', description: 'Scan only git-tracked files when a root is inside a git work tree; a root git ignores (a build output such as dist/) is scanned whole (default true).' },
      history: {
        description: 'Also scan the file versions the last N commits added or changed, and those they replaced or deleted (a secret edited out is found like one deleted with its file): a number, or { commits, shallow }. shallow: what a shallow clone does — warn (scan what exists and say so; default) or fail (the gate is incomplete, exit 3).',
        oneOf: [
          { type: 'integer', minimum: 0, maximum: 1000 },
          {
            type: 'object',
            additionalProperties: false,
            properties: {
              commits: { type: 'integer', minimum: 0, maximum: 1000, description: 'Commits to scan (default 0).' },
              shallow: { enum: ['warn', 'fail'], description: 'In a shallow clone: warn (default) or fail.' },
            },
          },
        ],
      },
      exclude: { type: 'array', items: { type: 'string' }, description: 'Globs of paths (relative to the root) not scanned.' },
      maxFileBytes: { type: 'integer', minimum: 1, maximum: 268_435_456, description: 'A larger file is scanned in its first maxFileBytes only, and named in the step summary (default 1 MiB; at most 256 MiB).' },
      privateMarkers: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'pattern'],
          properties: { name: { type: 'string', minLength: 1 }, pattern: { type: 'string', minLength: 1 }, flags: { type: 'string', pattern: '^[imsu]*$' } },
        },
      },
    },
  },
  deployment: {
    type: 'object',
    additionalProperties: false,
    properties: {
      files: { type: 'array', items: { type: 'string' }, description: 'Exported JSON/YAML deployments to scan instead of the live admin plane.' },
      live: { type: 'boolean', description: 'Read the live configuration through the admin plane (by default when admin headers are available; set to true, a gate without them is incomplete rather than skipping the step; not together with files, which are scanned instead).' },
      maxWindowHours: { type: 'integer', minimum: 1, maximum: 100_000, description: 'Longest acceptable auto-execute window (default 24).' },
      fail: { type: 'array', items: { type: 'string', pattern: '^GATE-[0-9]{3}$' }, description: 'Warning rules that fail the gate too.' },
    },
  },
};

/**
 * The option values the config sets, by option key. A string (shard "2/3") or a list goes through the
 * option's parser, as the flag's value would; a parser's refusal names the file and the key.
 */
export function configValues(config: GateConfig, file: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(CONFIG_OPTIONS)) {
    if (!def.config || def.secret) continue;
    const value = getPath(config, def.config);
    if (value === undefined) continue;
    try {
      if (def.parse && typeof value === 'string') out[key] = def.parse(value);
      else if (def.parse && Array.isArray(value)) out[key] = value.reduce((prev: unknown, item: string) => def.parse!(item, prev), undefined);
      else out[key] = value;
    } catch (e) {
      throw new ToolError(`invalid gate config ${file}: /${def.config.replace(/\./g, '/')}: ${(e as Error).message}`, 2);
    }
  }
  return out;
}

export interface HistoryConfig {
  /** Commits to scan. */
  commits?: number;
  /** A shallow clone hides history: warn and scan what exists (default), or fail (the gate is incomplete). */
  shallow?: 'warn' | 'fail';
}

export interface ScanConfig {
  roots?: string[];
  tracked?: boolean;
  /** Commits of history to scan, or { commits, shallow }. */
  history?: number | HistoryConfig;
  exclude?: string[];
  maxFileBytes?: number;
  privateMarkers?: { name: string; pattern: string; flags?: string }[];
}

const validators = new Map<string, ValidateFunction>();

/** Read a YAML (or JSON) file and validate it against one of fixtures/schemas (or `schema`); errors exit 2 naming file and path. */
export function readValidated<T>(file: string, schemaName: string, what: string, schema?: () => object): T {
  if (!existsSync(file)) throw new ToolError(`${what} ${file} does not exist`, 2);
  let data: unknown;
  try {
    data = yaml().parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`invalid ${what} ${file}: not valid YAML: ${yamlProblem(e)}`, 2);
  }
  data ??= {};
  let validate = validators.get(schemaName);
  if (!validate) {
    const json = schema?.() ?? (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'schemas', `${schemaName}.schema.json`), 'utf8')) as object);
    validate = new (ajv().Ajv)({ allErrors: true, strict: false, verbose: true }).compile(json);
    validators.set(schemaName, validate);
  }
  if (!validate(data)) {
    const errors = validate.errors ?? [];
    // A credential is a reference; say so instead of quoting the schema's oneOf.
    const describe = (e: (typeof errors)[number]) =>
      /^\/credentials\/(token|adminHeaders\/\d+)$/.test(e.instancePath) && ['oneOf', 'type', 'required'].includes(e.keyword)
        ? `${e.instancePath}: name exactly one of env (an environment variable) or file (a file holding the value), e.g. { env: OPENPORT_TOKEN }; a credential is never written into the config`
        : describeError(e);
    const lines = [...new Set(errors.slice(0, 8).map(describe))];
    throw new ToolError(`invalid ${what} ${file}: ${lines.join('; ')}${errors.length > 8 ? ` (and ${errors.length - 8} more)` : ''}`, 2);
  }
  return data as T;
}

export function loadGateConfig(file: string): GateConfig {
  // Validated against the schema the tables give, not the copy in fixtures/schemas (which a test keeps equal).
  const config = readValidated<GateConfig>(file, 'gate-config', 'gate config', gateConfigSchema);
  config.scan?.privateMarkers?.forEach((m, i) => {
    try {
      new RegExp(m.pattern, m.flags);
    } catch (e) {
      throw new ToolError(`invalid gate config ${file}: /scan/privateMarkers/${i}/pattern: not a regular expression (${(e as Error).message})`, 2);
    }
  });
  return config;
}

/** The value behind a credential reference: a variable of `env` or the first line of a file. */
export function resolveSecret(ref: SecretRef, at: string, env: NodeJS.ProcessEnv = process.env): string {
  if (ref.env !== undefined) {
    const v = env[ref.env];
    if (!v) throw new ToolError(`${at}: environment variable ${ref.env} is not set`, 2);
    return v.trim();
  }
  if (!existsSync(ref.file!)) throw new ToolError(`${at}: credential file ${ref.file} does not exist`, 2);
  const v = readFileSync(ref.file!, 'utf8').split(/\r?\n/)[0]!.trim();
  if (!v) throw new ToolError(`${at}: credential file ${ref.file} is empty`, 2);
  return v;
}
