/**
 * The run options, each declared once: its flag and argument, help and default, which commands take it,
 * where its value goes in RunOptions, its gate-config key, its environment variable, and whether it enters
 * the replay command of a finding and the record of an evidence bundle. The commander options of run, fuzz,
 * gate, certify and verify, the gate config schema and its merge, replay lines and bundle records are all
 * derived from this table (the CLI's reporter options are declared the same way in src/report/options.ts).
 * It lives in the runner because the runner derives replay lines from it and every other consumer may
 * import the runner.
 */
import { BINDINGS, SAFETY_CLASSES } from '../kit/check.js';
import { adminVar, shellQuote, TOKEN_VAR } from '../kit/expect.js';
import { LAYERS } from '../protocol/requirements.js';
import { DEFAULT_DOMAIN, DOMAIN_NAMES } from '../runtime/domains.js';
import { DEFAULT_JOURNAL_BYTES, JOURNAL_FILE } from './journal.js';
import type { RunOptions } from './run.js';

/** The commands whose options come from the table ('gate' also covers `baseline update`). */
export type CommandName = 'run' | 'fuzz' | 'gate' | 'certify' | 'verify' | 'merge' | 'explain' | 'init' | 'openapi';

/** What may differ per command: help, parser, and a default the command fills in itself. */
export interface PerCommand<T> {
  help?: string;
  /** The argument in help when the command's value is another thing (init's --out is a file, not a directory). */
  arg?: string;
  parse?: (value: string, previous?: T) => T;
  /** The command's own default (gate's fixed seed), applied below the flag and the config. */
  default?: T;
  /**
   * The command's default against a url when admin credentials are given, below the flag and the config
   * (the gate's safety: at draft it provisions its own agent token through the admin plane).
   */
  adminDefault?: T;
  /** The command's default in words, when it depends on the run. */
  defaultText?: string;
}

export interface OptionDef<T = unknown> {
  /** The argument in help, e.g. '<ms>'; absent for a switch (true when given). */
  readonly arg?: string;
  readonly help: string;
  readonly commands: readonly CommandName[];
  /** Parses one value (a repeatable option gets the value so far); throws an Error saying what was expected. */
  readonly parse?: (value: string, previous?: T) => T;
  /** The value is a list: the flag repeats (or takes a comma list), the config key is an array. */
  readonly list?: boolean;
  /** The allowed values (commander's choices; the config schema's enum, per item for a list). */
  readonly choices?: readonly string[];
  /** The integer bounds `parse` enforces, so the config schema refuses what the flag refuses. */
  readonly range?: { readonly min: number; readonly max: number };
  /**
   * What applies when the option is absent, shown in --help. The runner applies it (or the command, for
   * `fill`); the CLI does not fill it in, so an absent option stays absent in the config merge and bundle.
   */
  readonly default?: T;
  /** A default that depends on the run, in words. */
  readonly defaultText?: string;
  /** The default is filled in by commander (the command always needs a value). */
  readonly fill?: boolean;
  /** Dotted path of the value in RunOptions; absent when the command consumes the value itself. */
  readonly run?: string;
  /** Dotted path of the gate config key; absent when the config has none. */
  readonly config?: string;
  /** JSON Schema of the config value when parse/choices/range do not say it. */
  readonly configSchema?: Record<string, unknown>;
  /** Environment variable read when neither the flag nor its file gives the value. */
  readonly env?: string;
  /**
   * A credential: resolved from flag, file, environment or config reference; in replay lines only as shell
   * variables; never in a bundle.
   */
  readonly secret?: 'token' | 'headers';
  /** In the replay command of a finding: whenever set, or only against a url (embedded runs fix it). */
  readonly replay?: 'always' | 'url';
  /** In the bundle record (bundle.json `run`), from which `verify --replay` reads it back. */
  readonly bundle?: boolean;
  readonly per?: Partial<Record<CommandName, PerCommand<T>>>;
}

// ---- parsers: each throws an Error whose message says what was expected (the CLI names the flag) ----

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function integer(value: string, min: number, max: number, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new Error(`expected ${what} (an integer from ${min} to ${max})`);
  }
  return Number(value);
}

/** An integer option: its parser and the bounds the config schema repeats. */
function int(min: number, max: number, what: string) {
  return { parse: (v: string) => integer(v, min, max, what), range: { min, max } } as const;
}

export function parseAdminHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(value);
  if (!m || m[2]!.trim() === '') {
    // An empty value is most often a shell variable that was not set ("x-admin-user: $OPENPORT_ADMIN_X_ADMIN_USER").
    throw new Error(`expected 'Name: value', e.g. --admin-header 'x-admin-user: admin_demo'${m ? ` (the value of ${m[1]} is empty: an unset shell variable?)` : ''}`);
  }
  return { ...previous, [m[1]!.toLowerCase()]: m[2]!.trim() };
}

/** --shard i/n: 1 ≤ i ≤ n ≤ 64. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 64 || index < 1 || index > count) throw new Error('expected i/n with 1 ≤ i ≤ n ≤ 64, e.g. --shard 2/3');
  return { index, count };
}

function fuzzId(value: string, previous: string[] = []): string[] {
  if (!/^FUZZ-(\d{3}|\*)$/i.test(value.trim())) throw new Error(`"${value}" is not a FUZZ requirement id (FUZZ-001 … FUZZ-008, or FUZZ-*)`);
  return [...previous, value.trim().toUpperCase()];
}

function fastCheckPath(value: string): string {
  // A stateful counterexample adds its commands replayPath after "@" (e.g. 0:1:0@G:B).
  if (!/^\d+(:\d+)*(@[\w:+/=-]*)?$/.test(value)) throw new Error(`"${value}" is not a fuzz path (numbers joined by ':', e.g. 3:0:1, as printed by a finding)`);
  return value;
}

export const TOKEN_ENV = 'OPENPORT_CONFORM_TOKEN';
export const ADMIN_HEADERS_ENV = 'OPENPORT_CONFORM_ADMIN_HEADERS';

/** Commands that run checks against a target, and those that also choose and tune the checks. */
const TARGET = ['run', 'fuzz', 'gate', 'certify'] as const;
const PROFILE = ['run', 'gate', 'certify'] as const;

/** One entry, typed by its value (what its parser returns): the table's type keeps each option's. */
const option = <T>(def: OptionDef<T>): OptionDef<T> => def;

/**
 * The default run budget: a run whose every request times out ends after about 30–35 timeouts, a healthy one
 * long before; 90 timeouts (15 minutes at the default timeout, never less) stops only a run that is stuck.
 */
export const MAX_TIME_PER_TIMEOUT = 90;
export const MAX_TIME_FLOOR_S = 900;

/** The run budget in milliseconds: --max-time, else derived from the per-request timeout. */
export function runBudgetMs(maxTimeSeconds: number | undefined, timeoutMs: number): number {
  return maxTimeSeconds !== undefined ? maxTimeSeconds * 1000 : Math.max(MAX_TIME_FLOOR_S * 1000, MAX_TIME_PER_TIMEOUT * timeoutMs);
}

/**
 * The table. Its order is the order of --help, of the gate config schema, of replay lines and of bundle
 * records. Keys are commander's attribute names: the flag is the key in kebab case.
 */
export const RUN_OPTIONS = {
  profile: option<string>({
    arg: '<name>', help: 'the layer to run; each extends the one before', commands: [...PROFILE, 'fuzz'], choices: LAYERS,
    defaultText: 'core for a url, the highest complete one embedded', run: 'profile', config: 'profile', replay: 'always', bundle: true,
    per: { fuzz: { help: 'the layer whose FUZZ checks run', default: 'write-lifecycle' } },
  }),
  strict: option<boolean>({ help: 'SHOULD failures fail the run', commands: PROFILE, run: 'strict', config: 'strict', bundle: true, per: { gate: { default: false } } }),
  only: option<string[]>({
    arg: '<id>', help: 'run only these requirement ids or globs, e.g. AUTHN-* (repeatable)', commands: [...PROFILE, 'fuzz'], parse: collect, list: true,
    run: 'only', config: 'only', replay: 'always', bundle: true,
    per: { fuzz: { help: 'run only this FUZZ id (repeatable)', parse: fuzzId, default: ['FUZZ-*'] } },
  }),
  exclude: option<string[]>({ arg: '<id>', help: 'skip these requirement ids or globs (repeatable)', commands: PROFILE, parse: collect, list: true, run: 'exclude', config: 'exclude', bundle: true }),
  seed: option<number>({
    arg: '<n>', help: 'seed for everything random (stored in report.json)', commands: [...PROFILE, 'fuzz'], ...int(0, 0xffffffff, 'a seed'), defaultText: 'random',
    run: 'seed', config: 'seed', replay: 'always', bundle: true,
    per: { fuzz: { help: 'seed of the generators (every finding prints the one it used)' }, gate: { default: 1 } },
  }),
  concurrency: option<number>({ arg: '<n>', help: 'checks at work in parallel (against a url, one that only waits leaves its place to the next)', commands: PROFILE, ...int(1, 64, 'a number of checks to run in parallel'), default: 4, run: 'concurrency', config: 'concurrency', bundle: true }),
  fuzzRuns: option<number>({
    arg: '<n>', help: 'generated cases per FUZZ property', commands: [...PROFILE, 'fuzz'], ...int(1, 1_000_000, 'a number of cases'), default: 100, run: 'fuzz.runs', config: 'fuzz.runs', bundle: true,
    per: { fuzz: { help: 'generated cases per property' } },
  }),
  fuzzTime: option<number>({
    arg: '<ms>', help: 'time budget per FUZZ property in milliseconds', commands: [...PROFILE, 'fuzz'], ...int(1, 3_600_000, 'a time in milliseconds'), default: 10_000, run: 'fuzz.timeMs', config: 'fuzz.timeMs', bundle: true,
    per: { fuzz: { help: 'time budget per property in milliseconds' } },
  }),
  path: option<string>({
    arg: '<path>', help: 'fast-check path of one counterexample to replay (needs one --only id and its --seed)', commands: ['fuzz'], parse: fastCheckPath,
    run: 'fuzz.path', replay: 'always',
  }),
  corpus: option<string>({
    arg: '<dir>', help: 'also replay the fuzz counterexamples saved in this directory (FUZZ-008; `fuzz --save-corpus DIR` writes them)', commands: ['run', 'fuzz'],
    run: 'fuzz.corpus', replay: 'always',
  }),
  shard: option<{ index: number; count: number }>({
    arg: '<i/n>', help: 'run only shard i of n, 1 ≤ i ≤ n ≤ 64 (split by a hash of the requirement id); combine with `merge`', commands: PROFILE, parse: parseShard,
    run: 'shard', config: 'shard', configSchema: { type: 'string', pattern: '^[0-9]+/[0-9]+$' }, bundle: true,
  }),
  adminHeader: option<Record<string, string>>({
    arg: '<header>', help: "admin-plane header 'Name: value' (repeatable); enables admin-plane reads, and test personas from --safety draft on", commands: [...TARGET, 'verify', 'init'], parse: parseAdminHeader,
    run: 'adminHeaders', config: 'credentials.adminHeaders', env: ADMIN_HEADERS_ENV, secret: 'headers', replay: 'url',
    per: { verify: { help: "replay: admin-plane header 'Name: value' (repeatable)" }, init: { help: "admin-plane header 'Name: value' (repeatable): init provisions apps to look with, and revokes them" } },
  }),
  adminHeaderFile: option<string>({
    arg: '<file>', help: `admin headers from a file, one 'Name: value' per line (or env ${ADMIN_HEADERS_ENV})`, commands: [...TARGET, 'verify', 'init'], config: 'credentials.adminHeaders', secret: 'headers',
    per: { verify: { help: "replay: admin headers from a file, one 'Name: value' per line" } },
  }),
  token: option<string>({
    arg: '<token>', help: `an agent token for read-only checks (visible in ps: prefer --token-file or env ${TOKEN_ENV})`, commands: [...TARGET, 'verify', 'init'],
    run: 'token', config: 'credentials.token', env: TOKEN_ENV, secret: 'token', replay: 'url',
    per: { verify: { help: 'replay: agent token of the server' }, init: { help: `without admin headers: draft what this token's manifest and reads show (or env ${TOKEN_ENV})` } },
  }),
  tokenFile: option<string>({
    arg: '<file>', help: 'read the agent token from this file', commands: [...TARGET, 'verify', 'init'], config: 'credentials.token', secret: 'token',
    per: { verify: { help: 'replay: read the agent token from this file' } },
  }),
  target: option<string>({
    arg: '<file>', help: 'YAML target file describing a domain other than the demo domain', commands: [...TARGET, 'explain', 'openapi'],
    run: 'targetFile', config: 'target', replay: 'always', bundle: true,
    per: {
      explain: { help: 'a target description: also show the keys of it the check reads and the requests it sends' },
      openapi: { help: "a target description: its read routes and query arguments enter the document" },
    },
  }),
  safety: option<(typeof SAFETY_CLASSES)[number]>({
    arg: '<class>', help: 'the most invasive class of checks allowed', commands: TARGET, choices: SAFETY_CLASSES, defaultText: 'read-only for a url, load embedded',
    run: 'safety', config: 'safety', replay: 'url', bundle: true,
    per: {
      gate: {
        adminDefault: 'draft',
        // Provisioning writes (an app is created), so it needs draft; a read-only gate needs --token.
        defaultText: 'draft for a url with admin credentials (with no --token the gate provisions an agent token and revokes it at the end), read-only for a url without them, load embedded',
      },
    },
  }),
  fault: option<string[]>({
    arg: '<name>', help: 'embedded runtime only: inject this defect (repeatable; replay lines of findings use it)', commands: [...TARGET, 'verify'], parse: collect, list: true,
    run: 'faults', config: 'faults', replay: 'always', bundle: true,
    per: { verify: { help: "replay embedded: inject this defect on top of the bundle's (repeatable)" } },
  }),
  domain: option<(typeof DOMAIN_NAMES)[number]>({
    arg: '<name>', help: 'embedded runtime only: the domain it serves; without --target, fixtures/targets/<name>.yaml describes it', commands: [...TARGET, 'openapi'], choices: DOMAIN_NAMES,
    default: DEFAULT_DOMAIN, run: 'domain', config: 'domain', replay: 'always', bundle: true,
    per: { openapi: { help: 'the shipped domain whose tools (input schemas, read routes) the document describes' } },
  }),
  timeout: option<number>({
    arg: '<ms>', help: 'total deadline of each request (connect, headers and body) in milliseconds', commands: [...TARGET, 'init'], ...int(1, 600_000, 'a timeout in milliseconds'), default: 10_000,
    run: 'timeoutMs', config: 'timeout', bundle: true,
  }),
  maxTime: option<number>({
    arg: '<s>', help: 'budget of the whole run in seconds: when it is spent the run stops sending, revokes what it provisioned (within its own few seconds) and writes every report marked interrupted',
    commands: TARGET, ...int(1, 7 * 86_400, 'a duration in seconds'), defaultText: `${MAX_TIME_PER_TIMEOUT} × --timeout, at least ${MAX_TIME_FLOOR_S} s`,
    run: 'maxTimeSeconds', config: 'maxTime',
  }),
  journalMaxBytes: option<number>({
    arg: '<n>', help: `byte cap of the exchange journal <out>/${JOURNAL_FILE}`, commands: TARGET, ...int(4096, 2 ** 40, 'a size in bytes'), default: DEFAULT_JOURNAL_BYTES, config: 'journalMaxBytes',
  }),
  waitRetryAfter: option<boolean>({
    help: 'rate-limit checks wait out a long Retry-After (up to 65 s) to prove recovery; default: judge the signal without waiting (a partial pass)', commands: TARGET,
    run: 'waitRetryAfter', config: 'waitRetryAfter', replay: 'always', bundle: true,
  }),
  longWaits: option<boolean>({
    help: "checks that wait out a server-side lifetime run against a url too, really waiting (PREFLIGHT-009: a preflightId's 10 min); default: they are not run there and stay outside the verdict",
    commands: TARGET, run: 'longWaits', config: 'longWaits', replay: 'always', bundle: true,
  }),
  binding: option<(typeof BINDINGS)[number]>({
    arg: '<name>', help: "the agent plane's binding: http, or mcp (MCP over Streamable HTTP at <url>/mcp; embedded: in-memory); the admin plane stays HTTP (docs/mcp-binding.md)",
    commands: ['run', 'fuzz'], choices: BINDINGS, default: 'http', run: 'binding', replay: 'always',
  }),
  openapi: option<string>({
    arg: '<file>', help: 'also judge every response by this OpenAPI description (YAML or JSON): a contradiction is an ENV-010 warning', commands: ['run'], run: 'openapiFile', replay: 'always',
  }),
  mcpPath: option<string>({
    arg: '<path>', help: 'with --binding mcp and a url: the MCP endpoint relative to the url', commands: ['run', 'fuzz'], default: '/mcp', run: 'mcpPath', replay: 'always',
  }),
} as const;

export type RunOptionKey = keyof typeof RUN_OPTIONS;
type ValueOf<D> = D extends OptionDef<infer T> ? T : never;
/** Values of table options by key, as commander hands them over (absent when not given). */
export type OptionValues<Table> = { -readonly [K in keyof Table]?: ValueOf<Table[K]> };
export type RunOptionValues = OptionValues<typeof RUN_OPTIONS>;

/** '--wait-retry-after' for 'waitRetryAfter'. */
export function flagOf(key: string): string {
  return `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** How the default of `def` under `command` reads in help and in the config schema, if it has one worth saying. */
export function defaultShown(def: OptionDef<any>, command: CommandName): string | undefined {
  const value = def.per?.[command]?.default ?? def.default;
  if (value === undefined || typeof value === 'boolean') return def.per?.[command]?.defaultText ?? def.defaultText;
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** The entries of a table a command takes, in table order. */
export function optionsOf<Table extends Record<string, OptionDef<any>>>(table: Table, command: CommandName): [string, OptionDef<any>][] {
  return Object.entries(table).filter(([, def]) => def.commands.includes(command));
}

export function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
}

/** Sets `path` in `obj`, creating the objects on the way. */
export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = (o[k] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** A copy of the defined values of `obj` at `paths`. */
export function pickPaths<T>(obj: unknown, paths: readonly string[]): T {
  const out: Record<string, unknown> = {};
  for (const path of paths) {
    const v = getPath(obj, path);
    if (v !== undefined) setPath(out, path, v);
  }
  return out as T;
}

/** The first defined value of each key, layer by layer (flags, then config, then the command's defaults). */
export function layered<V extends Record<string, unknown>>(...layers: V[]): V {
  const out: Record<string, unknown> = {};
  for (const layer of layers.slice().reverse()) for (const [k, v] of Object.entries(layer)) if (v !== undefined) out[k] = v;
  return out as V;
}

/**
 * The RunOptions paths of the given values (credentials excluded: they come from flags, files, the
 * environment or config references, which the caller resolves).
 */
export function runOptionsOf(values: RunOptionValues): Partial<RunOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, def] of Object.entries(RUN_OPTIONS) as [RunOptionKey, OptionDef<unknown>][]) {
    const v = values[key];
    if (def.run && !def.secret && v !== undefined) setPath(out, def.run, v);
  }
  return out;
}

/**
 * The replay arguments of `resolved` (RunOptions with the run's effective profile, seed, safety and the one
 * check to replay) for `command`: table order, only options the command takes, defaults left out,
 * credentials as shell variables (never their values).
 */
export function replayArgs(resolved: Record<string, unknown>, command: CommandName, againstUrl: boolean): string[] {
  const parts: string[] = [];
  for (const [key, def] of optionsOf(RUN_OPTIONS, command)) {
    if (!def.replay || !def.run || (def.replay === 'url' && !againstUrl)) continue;
    const v = getPath(resolved, def.run);
    if (v === undefined || v === false || v === def.default) continue;
    const flag = flagOf(key);
    if (def.secret === 'token') parts.push(flag, `"$${TOKEN_VAR}"`);
    else if (def.secret === 'headers') for (const name of Object.keys(v as Record<string, string>)) parts.push(flag, `"${name}: $${adminVar(name)}"`);
    else if (v === true) parts.push(flag);
    else for (const item of Array.isArray(v) ? v : [v]) parts.push(flag, shellArg(String(item)));
  }
  return parts;
}

/** Words the shell leaves alone stay bare (ids, globs are quoted), anything else is single-quoted. */
function shellArg(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : shellQuote(s);
}

/** The RunOptions paths that enter a bundle record, in table order. */
export const BUNDLE_PATHS: readonly string[] = Object.values(RUN_OPTIONS as Record<string, OptionDef>).filter((d) => d.bundle && d.run).map((d) => d.run!);

/**
 * What is wrong with a bundle's run record (bundle.json `run`), judged by the table as its flags are judged:
 * each value of the kind, range and choices its option allows. A bundle is not trusted to have been written
 * by certify, and replay runs with these values.
 */
export function bundleRecordProblems(record: unknown): string[] {
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return ['is not an object'];
  const out: string[] = [];
  for (const def of Object.values(RUN_OPTIONS as Record<string, OptionDef>)) {
    if (!def.bundle || !def.run) continue;
    const v = getPath(record, def.run);
    if (v === undefined) continue;
    const expected = (ok: boolean, what: string) => void (ok || out.push(`${def.run} is ${JSON.stringify(v)}, expected ${what}`));
    const strings = Array.isArray(v) && v.every((x) => typeof x === 'string' && (!def.choices || def.choices.includes(x)));
    if (def.run === 'shard') {
      const s = v as { index?: unknown; count?: unknown };
      expected(Number.isInteger(s.index) && Number.isInteger(s.count) && (() => { try { return void parseShard(`${s.index}/${s.count}`), true; } catch { return false; } })(), '{ index, count } with 1 ≤ index ≤ count ≤ 64');
    } else if (def.range) expected(Number.isInteger(v) && (v as number) >= def.range.min && (v as number) <= def.range.max, `an integer from ${def.range.min} to ${def.range.max}`);
    else if (def.list) expected(strings, def.choices ? `a list of ${def.choices.join(', ')}` : 'a list of strings');
    else if (def.choices) expected(def.choices.includes(v as string), `one of ${def.choices.join(', ')}`);
    else expected(def.arg ? typeof v === 'string' : typeof v === 'boolean', def.arg ? 'a string' : 'true or false');
  }
  return out;
}
