/**
 * The gate's configuration file (openport-gate.yaml) and the baseline file, both YAML validated with ajv
 * against fixtures/schemas/*.schema.json: unknown keys are errors naming the file, the path and the
 * allowed keys. Credentials in the config name an environment variable or a file, never the value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { ToolError, type Safety } from '../kit/check.js';
import { PACKAGE_ROOT } from '../kit/paths.js';
import { describeError } from '../runner/target-file.js';

export interface SecretRef { env?: string; file?: string }

export interface GateConfig {
  url?: string;
  profile?: string;
  safety?: Safety;
  strict?: boolean;
  seed?: number;
  only?: string[];
  exclude?: string[];
  target?: string;
  timeout?: number;
  concurrency?: number;
  domain?: 'demo' | 'helpdesk';
  waitRetryAfter?: boolean;
  journalMaxBytes?: number;
  faults?: string[];
  shard?: string;
  fuzz?: { runs?: number; timeMs?: number };
  credentials?: { token?: SecretRef; adminHeaders?: (SecretRef & { name: string })[] };
  baseline?: string;
  scan?: ScanConfig;
  deployment?: { files?: string[]; live?: boolean; maxWindowHours?: number; fail?: string[] };
  reporters?: string[];
  out?: string;
}

export interface ScanConfig {
  roots?: string[];
  tracked?: boolean;
  history?: number;
  exclude?: string[];
  maxFileBytes?: number;
  privateMarkers?: { name: string; pattern: string; flags?: string }[];
}

const validators = new Map<string, ValidateFunction>();

/** Read a YAML (or JSON) file and validate it against one of fixtures/schemas; errors exit 2 naming file and path. */
export function readValidated<T>(file: string, schemaName: string, what: string): T {
  if (!existsSync(file)) throw new ToolError(`${what} ${file} does not exist`, 2);
  let data: unknown;
  try {
    data = parseYaml(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`invalid ${what} ${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, 2);
  }
  data ??= {};
  let validate = validators.get(schemaName);
  if (!validate) {
    const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'fixtures', 'schemas', `${schemaName}.schema.json`), 'utf8')) as object;
    validate = new Ajv({ allErrors: true, strict: false, verbose: true }).compile(schema);
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
  const config = readValidated<GateConfig>(file, 'gate-config', 'gate config');
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
