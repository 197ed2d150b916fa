/**
 * The engine's entry point: resolve what to run, reach the target (or start the embedded reference
 * runtime), run the checks, clean up what the run provisioned, and return the report. It never prints and
 * never sets an exit code; tool errors are thrown as ToolError (exit 2 configuration, 3 cannot evaluate).
 */
import { virtualClock, type Clock } from './clock.js';
import { randomInt } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { yaml } from '../kit/lazy.js';
import { ADMIN_BASE, AGENT_BASE } from '../protocol/types.js';
import { redactToken, SecretMatcher } from '../protocol/redact.js';
import { loadSelections, type Selection as RuntimeSelection } from '../runtime/name-set.js';
import { DEFAULT_DOMAIN, DOMAIN_NAMES, isDomainName, type DomainName } from '../runtime/domains.js';
import { BINDINGS, ToolError, type BindingName, type CheckDef, type Exchange, type Safety } from '../kit/check.js';
import { createAdminClient, createAgentClient } from '../kit/clients.js';
import { checkTargetAgrees } from './target-agrees.js';
import { listedItems } from './admin-read.js';
import { learnRunSecrets, type FuzzBudget, type RunEnv } from './context.js';
import { Journal } from './journal.js';
import { PACKAGE_ROOT, TOOL_VERSION, USER_AGENT } from '../kit/paths.js';
import { CLEANUP_BUDGET_MS, PersonaRegistry, provisionRunToken } from './personas.js';
import { flagOf, RUN_OPTIONS, replayArgs, runBudgetMs } from './options.js';
import { nearest } from './profiles.js';
import type { RunEvent, RunReport } from './result.js';
import { DEFAULT_DEADLINES, notApplicable, runChecks, summarize } from './runner.js';
import { verdictOf } from './verdict.js';
import type { McpBinding } from './mcp-client.js';
import type { Runtime } from '../runtime/index.js';
import { heldBackFlag, planRows, resolveSelection, safetyRank, shardOf, type PlanRow, type Selection, type Shard } from './selection.js';
import type { ResolvedTarget } from '../kit/target.js';
import { loadTargetFile, shippedTarget, withDescription, withToolScopes } from './target-file.js';
import { HttpTransport, InProcessTransport, type Transport } from './transport.js';
import { loadCorpus } from '../kit/fuzz-driver/corpus.js';

export { resolveSelection, checkIndex, heldBackFlag, shardOf, type Selection, type SelectionOptions, type Shard } from './selection.js';
export { PROFILE_NAMES, listProfiles, loadProfile, type LoadedProfile } from './profiles.js';
export { summarize } from './runner.js';
export { verdictOf, type VerdictOutcome } from './verdict.js';
export { loadTargetFile } from './target-file.js';
export { TOOL_VERSION, PACKAGE_ROOT };

export interface RunOptions {
  /** Absent → the embedded reference runtime, in-process. */
  url?: string;
  /** Default: url → 'core'; embedded → the highest profile whose requirements all have checks. */
  profile?: string;
  /** From --admin-header 'Name: value' (embedded default: the runtime's admin headers). */
  adminHeaders?: Record<string, string>;
  /** Agent token (embedded default: the runtime's bootstrap key). */
  token?: string;
  /** YAML target description (default: the shipped demo description, fixtures/targets/demo.yaml). */
  targetFile?: string;
  /** Default: url → 'read-only'; embedded → 'load'. */
  safety?: Safety;
  strict?: boolean;
  /** Requirement ids or globs like 'AUTHN-*' (comma-separated values are split). */
  only?: string[];
  exclude?: string[];
  /**
   * The marker in the name of every app the run creates (default: a fresh one, runMarker of personas.ts); the CLI
   * chooses it before the run, so that what it writes before the end can name it.
   */
  marker?: string;
  /** Default: crypto-random 32-bit; always reported. */
  seed?: number;
  /** Per request, default 10 000. */
  timeoutMs?: number;
  /** --max-time: the budget of the whole run in seconds (default derived from timeoutMs: runBudgetMs). */
  maxTimeSeconds?: number;
  /** Checks in parallel, default 4. */
  concurrency?: number;
  /** Embedded only: faults injected into the runtime. */
  faults?: string[];
  /**
   * Embedded only, not a flag: legitimate variants the runtime runs with (src/runtime/variants), so tests
   * prove the suite against them in-process. The run describes the runtime's tool map as the variants make it.
   */
  variants?: string[];
  /**
   * Embedded only: the domain the runtime serves (default demo). Without targetFile, a domain other than
   * the demo is described by its own target file, fixtures/targets/<domain>.yaml.
   */
  domain?: DomainName;
  /** The checks to plan from (the CLI passes suites/index.ts's CHECKS): the runner never imports suites/. */
  checks: readonly CheckDef[];
  /** Budget of generated-input checks (--fuzz-runs, --fuzz-time, a replay path). */
  fuzz?: Partial<FuzzBudget>;
  /** --wait-retry-after: rate-limit checks wait out a long Retry-After in full (up to 65 s). */
  waitRetryAfter?: boolean;
  /** --long-waits: checks that wait out a server-side lifetime (PREFLIGHT-009: ten minutes) run against a URL too. */
  longWaits?: boolean;
  onEvent?: (e: RunEvent) => void;
  /** Every exchange a check sends, with the check's id. */
  onExchange?: (checkId: string, ex: Exchange) => void;
  signal?: AbortSignal;
  /** --shard i/n: run only this piece of the selection. */
  shard?: Shard;
  /** --binding: the agent plane over HTTP (default) or MCP (docs/mcp-binding.md); the admin plane stays HTTP. */
  binding?: BindingName;
  /** --openapi: an OpenAPI description (YAML or JSON) every response of the run is also judged by (ENV-010). */
  openapiFile?: string;
  /** --mcp-path: the MCP endpoint relative to the url (default /mcp). */
  mcpPath?: string;
  /** Stream every exchange, redacted, to this JSON-lines file (src/runner/journal.ts), up to maxBytes. */
  journal?: { file: string; maxBytes?: number };
  /**
   * A value the run sends on every request (header x-openport-canary) and redacts like its credentials:
   * `certify` plants one and refuses to write a bundle that contains it anywhere.
   */
  canary?: string;
  /**
   * Not a flag: the clock the target's time windows (rate windows, preflight lifetime) run on (ctx.windowClock,
   * src/runner/clock.ts). The embedded run shares a virtual one with its runtime; a test serving a runtime
   * itself passes the one it gave that runtime (windowNow). Absent against a URL: the wall clock.
   */
  windowClock?: Clock;
  /** How the user invoked the tool, for replay lines that paste (default `openport-conform`; under npx, `npx openport-conform`). */
  command?: string;
}

/** Embedded runs use a small window so rate-limit checks finish in about a second. */
export const EMBEDDED_RATE_LIMIT = { limit: 30, windowMs: 1000 } as const;
/**
 * The embedded runtime's MCP front keeps these session quotas (docs/mcp-binding.md T7): small, so that MCP-008
 * fills a tenant in a few milliseconds. Only the checks' raw sessions reach that front (the run's agent client
 * talks to the runtime in memory), so no persona of the run holds a session there.
 */
export const EMBEDDED_SESSION_QUOTAS = { perKey: 4, perTenant: 8, total: 64 } as const;
/**
 * The embedded runtime serves this run alone, so its guard against floods of wrong tokens (a shared server's
 * defence: 429 past 6 000 refused authentications per address and minute) would only meet the run's own
 * generated requests: at `--fuzz-runs 10000` the fuzzers send tens of thousands without a valid token.
 */
export const EMBEDDED_AUTH_FAILURE_LIMIT = { limit: Number.MAX_SAFE_INTEGER, windowMs: 60_000 } as const;
/** The request body cap of the embedded runtime's loopback MCP front (known, so MCP-010 sends a body just over it). */
export const EMBEDDED_BODY_LIMIT = 64 * 1024;
/**
 * The embedded runtime's MCP calls (in memory and on its loopback front) are bounded at this without --timeout:
 * server and client share one process, so a loaded machine stalls both at once, and a default made for a
 * remote server would time out the machine rather than the runtime. Below the 30 s a check may go without an
 * answer, so a hang still ends as a timeout. (The HTTP binding's in-process transport has no request timeout.)
 */
export const SAME_PROCESS_TIMEOUT_MS = 25_000;
export const DEFAULT_FUZZ: FuzzBudget = { runs: RUN_OPTIONS.fuzzRuns.default!, timeMs: RUN_OPTIONS.fuzzTime.default! };

function positiveInt(name: string, v: number | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  if (!Number.isInteger(v) || v < 1) throw new ToolError(`${name} must be a positive integer, got ${v}`, 2);
  return v;
}

/** The run's seed: the one given (checked), else a fresh random one. Callers that report a run which may stop early resolve it first. */
export function resolveSeed(seed: number | undefined): number {
  if (seed === undefined) return randomInt(0, 2 ** 32);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw new ToolError(`--seed must be an integer in 0..4294967295, got ${seed}`, 2);
  return seed;
}

/** The fault selection of an embedded run; the registry loads only when a fault is named. */
async function checkFaults(faults: string[]): Promise<RuntimeSelection | undefined> {
  if (faults.length === 0) return undefined;
  const { FAULTS, selectFaults } = await import('../runtime/faults/index.js');
  const valid = FAULTS.map((f) => f.name as string);
  for (const f of faults) {
    if (!valid.includes(f)) throw new ToolError(`unknown fault "${f}"; nearest: ${nearest(f, valid).join(', ')} (all: openport-conform serve --list-faults)`, 2);
  }
  return selectFaults(faults);
}

function resolveDomain(domain: string | undefined, embedded: boolean): DomainName {
  if (domain === undefined) return DEFAULT_DOMAIN;
  if (!embedded) throw new ToolError('--domain applies only to the embedded runtime; describe a server\'s domain with --target FILE', 2);
  if (!isDomainName(domain)) throw new ToolError(`unknown domain "${domain}"; valid domains: ${DOMAIN_NAMES.join(', ')}`, 2);
  return domain;
}

/** The exchange, or undefined when the server answered with broken HTTP framing (recorded for ENV-002). */
async function answered(sent: Promise<Exchange>): Promise<Exchange | undefined> {
  try {
    return await sent;
  } catch (e) {
    if (e instanceof ToolError && e.code === 'OPC_E_BROKEN_FRAMING') return undefined;
    throw e;
  }
}

/**
 * Is anybody there speaking the protocol? Only when no probe answers like OpenPort (a JSON object with a
 * boolean `ok`, e.g. an HTML 404 everywhere) is the target "not OpenPort" (exit 3). A server whose envelopes
 * are incomplete (no `code`, say) still speaks it, and the ENV checks judge it.
 */
export async function probe(t: Transport): Promise<void> {
  const answers: string[] = [];
  let speaks = false;
  let routed = false;
  for (const path of ['/healthz', `${AGENT_BASE}/manifest`]) {
    const ex = await answered(t.send({ method: 'GET', path, headers: { 'user-agent': USER_AGENT } }));
    // A server that answers with broken framing is there and answering: ENV-002 judges the framing.
    if (ex === undefined) return;
    const json = ex.response.json as { ok?: unknown; code?: unknown } | undefined;
    const envelope = json !== null && typeof json === 'object' && !Array.isArray(json) && typeof json.ok === 'boolean';
    speaks ||= envelope;
    routed ||= ex.response.status !== 404;
    const ct = (ex.response.headers['content-type'] ?? '(no content type)').split(';')[0].trim();
    answers.push(`GET ${path} answered HTTP ${ex.response.status} ${envelope ? String(json.code) : ct}${json === undefined || envelope ? '' : ' without an envelope'}`);
  }
  if (!speaks) throw new ToolError(`${t.baseUrl} does not speak OpenPort agent/v1: ${answers.join('; ')}`, 'OPC_E_UNREACHABLE');
  // An OpenPort server that knows neither its health route nor its manifest (which asks a token, 401, before
  // anything else), reached under a url with a path, is most likely reached below its root: the operator's url,
  // said once. At a bare origin the routes are the server's to serve (ENV-001, ENV-009 judge them).
  const base = new URL(t.baseUrl).pathname.replace(/\/+$/, '');
  if (!routed && base !== '') {
    const origin = new URL(t.baseUrl).origin;
    throw new ToolError(`${t.baseUrl} knows neither /healthz nor ${AGENT_BASE}/manifest (${answers.join('; ')}): the url must be the server's root, the base /healthz and ${AGENT_BASE} hang off (try ${origin}, or the base path the server is mounted under)`, 'OPC_E_UNREACHABLE');
  }
}

/**
 * Wrong admin credentials are found once, before any check: otherwise every check that provisions a
 * persona would end in the same error. Only a refusal (401/403) counts; other answers are left to the checks.
 */
async function probeAdmin(t: Transport, headers: Record<string, string>): Promise<void> {
  // One app is enough to see a refusal; a server that pages (limit) answers a page, not its whole store.
  const path = `${ADMIN_BASE}/apps?limit=1`;
  const ex = await answered(t.send({ method: 'GET', path, headers: { 'user-agent': USER_AGENT, ...headers } }));
  if (ex === undefined) return;
  const { status, json } = ex.response;
  if (status !== 401 && status !== 403) return;
  const code = (json as { code?: unknown } | undefined)?.code;
  const names = Object.keys(headers).join(', ');
  throw new ToolError(`the admin plane refused the --admin-header credentials (${names}): GET ${path} answered HTTP ${status}${typeof code === 'string' ? ` ${code}` : ''}; check the header name and value`, 'OPC_E_ADMIN_REFUSED');
}

/**
 * A target description of another server (the demo's against a helpdesk, say) would make every check that
 * reads or writes through it fail as if the server had: a manifest that lists tools, none of them a tool the
 * target names, is said once, before any check (exit 2). Any overlap is left to the checks: a token's
 * manifest shows only the tools its scopes allow.
 */
function describesServer(t: Transport, ex: Exchange, target: ResolvedTarget, targetName: string, secrets: SecretMatcher, source = 'its manifest'): void {
  const json = ex.response.json as { ok?: unknown; data?: { tools?: unknown } } | undefined;
  // Only a manifest in the envelope counts; any other answer is left to the checks (ENV-*, DISC-*).
  const tools = json?.ok === true ? json.data?.tools : undefined;
  if (!Array.isArray(tools)) return;
  namesDescribe(t, tools.flatMap((x) => (typeof (x as { name?: unknown })?.name === 'string' ? [(x as { name: string }).name] : [])), target, targetName, secrets, source);
}

/** describesServer on the tool names a listing (`source`) gave. */
function namesDescribe(t: Transport, listed: readonly string[], target: ResolvedTarget, targetName: string, secrets: SecretMatcher, source: string): void {
  const named = Object.keys(target.tools);
  if (listed.length === 0 || listed.some((n) => Object.hasOwn(target.tools, n))) return;
  const some = (names: readonly string[]) => `${names.slice(0, 4).map((n) => JSON.stringify(n.slice(0, 60))).join(', ')}${names.length > 4 ? ', …' : ''}`;
  // The names are the server's text: one that echoes a credential of the run is shown as a prefix only.
  throw new ToolError(secrets.redact(
    `${targetName} does not describe ${t.baseUrl}: ${source} lists ${listed.length} tool${listed.length === 1 ? '' : 's'} (${some(listed)}), none of the ${named.length} the target names (${some(named)}); pass this server's target description with --target (\`openport-conform init\` drafts one; docs/targets.md)`),
    'OPC_E_CONFIG',
  );
}

/** How many of the server's own apps describedThroughAdmin asks for their tools. */
const APPS_TOLD = 5;

/**
 * With admin credentials alone, the tools of the apps the server already holds (GET /apps/{id}/tools, an envelope
 * like a manifest's, for up to APPS_TOLD active apps of the listing's first page) judged together as
 * describesServer judges a manifest: none of their tools a tool the target names. Any other answer says nothing.
 */
async function describedThroughAdmin(t: Transport, headers: Record<string, string>, target: ResolvedTarget, targetName: string, secrets: SecretMatcher): Promise<void> {
  const h = { 'user-agent': USER_AGENT, ...headers };
  const listed = await answered(t.send({ method: 'GET', path: `${ADMIN_BASE}/apps?limit=${APPS_TOLD}`, headers: h }));
  const items = listedItems((listed?.response.json as { data?: unknown } | undefined)?.data, 'apps');
  if (!items) return;
  const ids = items.flatMap((a) => {
    const app = a as { id?: unknown; status?: unknown } | null;
    return app && typeof app.id === 'string' && app.status !== 'revoked' ? [app.id] : [];
  }).slice(0, APPS_TOLD);
  const names: string[] = [];
  const told: string[] = [];
  for (const id of ids) {
    const ex = await answered(t.send({ method: 'GET', path: `${ADMIN_BASE}/apps/${encodeURIComponent(id)}/tools`, headers: h }));
    const json = ex?.response.status === 200 ? (ex.response.json as { ok?: unknown; data?: unknown } | undefined) : undefined;
    const tools = json?.ok === true ? listedItems(json.data, 'tools') : undefined;
    if (!tools) continue;
    told.push(id);
    for (const x of tools) if (typeof (x as { name?: unknown })?.name === 'string') names.push((x as { name: string }).name);
  }
  if (told.length === 0) return;
  const source = told.length === 1 ? `the tool listing of its app ${JSON.stringify(told[0]!.slice(0, 60))}` : `the tool listings of its apps ${told.map((id) => JSON.stringify(id.slice(0, 60))).join(', ')}`;
  namesDescribe(t, [...new Set(names)], target, targetName, secrets, source);
}

/** Why a 401 refused a token, from its reason code (brief section 5). */
const TOKEN_REFUSALS: Record<string, string> = {
  'agent.token_expired': 'the key has expired',
  'agent.token_invalid': 'unknown to the server: mistyped, revoked, or its app is not active',
};

/**
 * A wrong --token is found once, with one manifest call, before any check: otherwise every check that uses
 * it fails as if the server had. A 401 refuses the token, a manifest of another server the target description
 * (describesServer); other answers are left to the checks. The message names the credential by its prefix,
 * never in full.
 */
async function probeToken(t: Transport, token: string, target: ResolvedTarget, targetName: string, secrets: SecretMatcher): Promise<void> {
  const path = `${AGENT_BASE}/manifest`;
  const ex = await answered(t.send({ method: 'GET', path, headers: { 'user-agent': USER_AGENT, authorization: `Bearer ${token}` } }));
  if (ex !== undefined && ex.response.status === 200) describesServer(t, ex, target, targetName, secrets);
  if (ex === undefined || ex.response.status !== 401) return;
  const code = (ex.response.json as { code?: unknown } | undefined)?.code;
  throw tokenRefused(token, `GET ${path}`, typeof code === 'string' ? code : undefined);
}

/** The agent plane refused the run's agent token (--token, --token-file or the environment; a 401 to `what`, with its reason code): named by its prefix only. */
function tokenRefused(token: string, what: string, code: string | undefined): ToolError {
  const why = (code !== undefined && TOKEN_REFUSALS[code]) || 'refused';
  return new ToolError(`the agent plane refused the agent token ${redactToken(token)}: ${what} answered HTTP 401${code !== undefined ? ` ${code}` : ''} (${why}); pass a live agent key`, 'OPC_E_TOKEN_REFUSED');
}

/**
 * The command that replays one check of this run, ready to paste: the run's url and options as the table
 * (options.ts) puts them in replay lines, with the effective profile, safety and seed and only this check;
 * credentials as shell variables (they are never printed). With a fuzz path, the `fuzz` command replaying
 * exactly that counterexample.
 */
function replayCommand(opts: RunOptions, sel: Selection, seed: number): (id: string, fuzzPath?: string) => string {
  return (id, fuzzPath) => {
    const command = fuzzPath === undefined ? 'run' : 'fuzz';
    const resolved = { ...opts, profile: sel.profile.name, safety: sel.safety, seed: seed >>> 0, only: [id], fuzz: { path: fuzzPath, corpus: opts.fuzz?.corpus } };
    return [opts.command ?? 'openport-conform', command, ...(opts.url ? [opts.url] : []), ...replayArgs(resolved, command, opts.url !== undefined)].join(' ');
  };
}

/**
 * --only/--exclude that keep fewer requirements than the profile has make a selection (`--only '*'` does
 * not). A shard is compared with the profile's requirements in the same shard, so its shards merge into
 * the profile again.
 */
function selectionOf(opts: RunOptions, sel: Selection): RunReport['selection'] {
  if (!opts.only?.length && !opts.exclude?.length) return undefined;
  const shard = opts.shard;
  const whole = shard ? sel.profile.requirements.filter((r) => shardOf(r.id, shard.count) === shard.index) : sel.profile.requirements;
  if (sel.requirements.length === whole.length) return undefined;
  return { only: [...(opts.only ?? [])], exclude: [...(opts.exclude ?? [])], ids: sel.requirements.map((r) => r.id) };
}

/** --openapi FILE: a YAML or JSON document with `openapi` and `paths`; anything else is refused before any traffic. */
function loadOpenApi(file: string): unknown {
  let doc: unknown;
  try {
    doc = yaml().parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ToolError(`${flagOf('openapi')} ${file}: cannot read it as YAML or JSON (${(e as Error).message.split('\n')[0]})`, 2);
  }
  const d = doc as { openapi?: unknown; paths?: unknown } | null;
  if (!d || typeof d !== 'object' || typeof d.openapi !== 'string' || typeof d.paths !== 'object') {
    throw new ToolError(`${flagOf('openapi')} ${file}: not an OpenAPI 3 description (expected the keys openapi and paths)`, 2);
  }
  return doc;
}

/** Every request of the run carries the canary from here on (the probes before it hold none). */
function plantCanary(t: Transport, canary: string): void {
  const send = t.send.bind(t);
  t.send = (req, signal) => send({ ...req, headers: { ...req.headers, 'x-openport-canary': canary } }, signal);
  // The second client address (ADM-004) sends through a transport of its own, made once: it carries the canary too.
  const second = t.secondAddress.bind(t);
  let planted: ReturnType<Transport['secondAddress']> | undefined;
  t.secondAddress = () => (planted ??= second().then((s) => {
    if ('transport' in s) plantCanary(s.transport, canary);
    return s;
  }));
}

/**
 * Everything a run decides before its first request, validated as the run validates it: `run` and
 * `run --list` share it, so a dry run refuses exactly what the run refuses (exit 2) and plans the same checks.
 */
async function prepare(opts: RunOptions) {
  const embedded = opts.url === undefined;
  const faults = opts.faults ?? [];
  if (!embedded && faults.length > 0) throw new ToolError('--fault applies only to the embedded runtime; omit the URL to use it', 2);
  // The embedded runtime mints its own credentials: another one would be refused by it and read as its failure.
  const given = [opts.token !== undefined ? `${flagOf('token')} (or ${flagOf('tokenFile')})` : '', Object.keys(opts.adminHeaders ?? {}).length > 0 ? `${flagOf('adminHeader')} (or ${flagOf('adminHeaderFile')})` : ''].filter(Boolean);
  if (embedded && given.length > 0) throw new ToolError(`${given.join(' and ')} ${given.length > 1 ? 'need' : 'needs'} a url: the embedded runtime mints its own credentials; give the server's url, or leave ${given.length > 1 ? 'them' : 'it'} out`, 2);
  const faultSelection = await checkFaults(faults);
  const domain = resolveDomain(opts.domain, embedded);
  const timeoutMs = positiveInt(flagOf('timeout'), opts.timeoutMs, RUN_OPTIONS.timeout.default!);
  const budgetMs = runBudgetMs(opts.maxTimeSeconds === undefined ? undefined : positiveInt(flagOf('maxTime'), opts.maxTimeSeconds, 1), timeoutMs);
  const concurrency = positiveInt(flagOf('concurrency'), opts.concurrency, RUN_OPTIONS.concurrency.default!);
  const seed = resolveSeed(opts.seed);
  const bindingName = opts.binding ?? 'http';
  if (!BINDINGS.includes(bindingName)) throw new ToolError(`unknown binding "${String(bindingName)}"; valid bindings: ${BINDINGS.join(', ')}`, 2);
  const sel = resolveSelection({ profile: opts.profile, embedded, safety: opts.safety, only: opts.only, exclude: opts.exclude, checks: opts.checks, shard: opts.shard, binding: bindingName });
  // Without --target, the shipped description of the domain (the demo for a url).
  const target: ResolvedTarget = opts.targetFile ? loadTargetFile(opts.targetFile) : shippedTarget(domain);
  const targetName = opts.targetFile ? `--target ${opts.targetFile}` : `the ${domain} target description (the default without --target)`;
  const variants = opts.variants ?? [];
  if (!embedded && variants.length > 0) throw new ToolError('variants apply only to the embedded runtime', 2);
  const openapi = opts.openapiFile === undefined ? undefined : loadOpenApi(opts.openapiFile);
  // --corpus DIR is read (and refused if unreadable) before any traffic; FUZZ-008 replays it.
  if (opts.fuzz?.corpus !== undefined) loadCorpus(opts.fuzz.corpus, { required: true });

  if (opts.mcpPath !== undefined && (bindingName !== 'mcp' || embedded)) throw new ToolError('--mcp-path applies only with --binding mcp and a url', 2);
  const admin = opts.adminHeaders !== undefined && Object.keys(opts.adminHeaders).length > 0;
  // The credentials the checks will hold: the embedded runtime's own; else the token given, or one the run
  // provisions with the admin headers (from --safety draft up, when anything is planned).
  const has = embedded
    ? { token: true, admin: true }
    : { token: !!opts.token || (admin && safetyRank(sel.safety) >= safetyRank('draft') && sel.planned.length > 0), admin };
  const { variants: variantSelection } = await loadSelections([], variants);
  return { embedded, faults, faultSelection, domain, timeoutMs, budgetMs, concurrency, seed, sel, target, targetName, variants, variantSelection, openapi, bindingName, has };
}

/** `run --list`: the plan of the run these options describe, validated like the run, without a request. */
export async function dryRun(opts: RunOptions): Promise<{ selection: Selection; rows: PlanRow[] }> {
  const { sel, has, bindingName, embedded } = await prepare(opts);
  // What the run would find not applicable (another binding's rule, a wait on the server's clock without --long-waits), as the run decides it.
  const applies = { binding: { name: bindingName }, windowClock: opts.windowClock ?? (embedded ? virtualClock() : undefined), longWaits: opts.longWaits };
  const rows = planRows(sel, has).map((r) => {
    const def = opts.checks.find((c) => c.id === r.id);
    const na = r.outcome !== 'held back' && def ? notApplicable(def, applies) : undefined;
    return na ? { ...r, outcome: 'skip' as const, why: `${na.message} (outside the verdict)` } : r;
  });
  return { selection: sel, rows };
}

/**
 * The run's stop signal: the caller's (Ctrl-C, SIGTERM) or the run budget's, whichever comes first. Its reason
 * says which, in the words the verdict uses ("interrupted: …"). The budget's timer never keeps the process alive.
 */
function stopSignal(outer: AbortSignal | undefined, budgetMs: number): { signal: AbortSignal; dispose(): void } {
  const budget = deadline(budgetMs, `interrupted: the run budget ${flagOf('maxTime')} ${budgetMs / 1000} s was spent`);
  const signal = outer ? AbortSignal.any([outer, budget.signal]) : budget.signal;
  // Each in-flight request and check listens on it.
  setMaxListeners(10_000, signal);
  return { signal, dispose: budget.dispose };
}

/**
 * A signal that aborts after `ms` with `why` (not a TimeoutError, which the transport would word as the
 * request's own timeout); its timer never keeps the process alive.
 */
function deadline(ms: number, why: string): { signal: AbortSignal; dispose(): void } {
  const c = new AbortController();
  // Every request it bounds listens on it (cleanup revokes dozens of apps at once).
  setMaxListeners(10_000, c.signal);
  const timer = setTimeout(() => c.abort(new Error(why)), ms);
  timer.unref();
  return { signal: c.signal, dispose: () => clearTimeout(timer) };
}

/**
 * Revoke what the run provisioned. Not bound to the run's stop signal (after Ctrl-C or the budget the apps
 * must still be revoked) but to a small budget of its own, every revocation at once.
 */
async function cleanUp(registry: PersonaRegistry, transport: Transport, adminHeaders: Record<string, string> | undefined): Promise<RunReport['cleanup']> {
  const budget = deadline(CLEANUP_BUDGET_MS, `cleanup budget of ${CLEANUP_BUDGET_MS / 1000} s spent`);
  try {
    const admin = adminHeaders ? createAdminClient((req) => transport.send(req, budget.signal), adminHeaders) : undefined;
    return await registry.cleanup(admin, budget.signal);
  } finally {
    budget.dispose();
  }
}

/** Why the run stopped, from its stop signal's reason. */
function stoppedBecause(signal: AbortSignal): string {
  const why = signal.reason instanceof Error ? signal.reason.message : String(signal.reason ?? '');
  return why.startsWith('interrupted') ? why : `interrupted${why ? `: ${why}` : ''}`;
}

/** Raw HTTP to the MCP endpoint for the checks of the binding's own rules (RunEnv.mcpWire), and its teardown. */
type McpWire = NonNullable<RunEnv['mcpWire']> & { close(): Promise<void> };

/** Over a url: its own connection pool (the agent plane's sample stays the agent plane's), journaled with the run. */
function urlMcpWire(baseUrl: string, path: string, timeoutMs: number, journal: Journal): McpWire {
  const wire = new HttpTransport(baseUrl, { timeoutMs, journal });
  return { path, send: (req, signal) => wire.send(req, signal), close: () => wire.close() };
}

/**
 * Embedded: the binding's wire rules (Host, Origin, credentials, sessions) live in the runtime's HTTP front,
 * which the in-memory transport never reaches, so the first raw request serves the runtime on loopback.
 */
function loopbackMcpWire(runtime: Runtime, timeoutMs: number, journal: Journal): McpWire {
  let served: Promise<{ stop(): Promise<void>; wire: HttpTransport }> | undefined;
  const serve = () =>
    (served ??= (async () => {
      const { startHttpServer } = await import('../runtime/server.js');
      const server = await startHttpServer(runtime, { mcp: true, mcpSessionQuotas: { ...EMBEDDED_SESSION_QUOTAS }, bodyLimitBytes: EMBEDDED_BODY_LIMIT });
      return { stop: () => server.close(), wire: new HttpTransport(server.url, { timeoutMs, journal }) };
    })());
  return {
    path: '/mcp',
    send: async (req, signal) => (await serve()).wire.send(req, signal),
    async close() {
      if (!served) return;
      const s = await served;
      await s.wire.close();
      await s.stop();
    },
  };
}

export async function run(given: RunOptions): Promise<RunReport> {
  // --corpus DIR as an absolute path: a finding's replay line is pasted in any directory.
  const opts = given.fuzz?.corpus === undefined ? given : { ...given, fuzz: { ...given.fuzz, corpus: resolve(given.fuzz.corpus) } };
  const startedAt = new Date();
  const started = performance.now();
  const prepared = await prepare(opts);
  const stop = stopSignal(opts.signal, prepared.budgetMs);
  try {
    return await runUntil(opts, prepared, stop.signal, startedAt, started);
  } finally {
    stop.dispose();
  }
}

async function runUntil(opts: RunOptions, prepared: Awaited<ReturnType<typeof prepare>>, stop: AbortSignal, startedAt: Date, started: number): Promise<RunReport> {
  const { embedded, faults, faultSelection, domain, timeoutMs, concurrency, seed, sel, variants, variantSelection, openapi, bindingName, targetName } = prepared;
  let target = prepared.target;
  let transport: Transport;
  let binding: McpBinding | undefined;
  let mcpWire: McpWire | undefined;
  let token = opts.token;
  let adminHeaders = opts.adminHeaders;
  let windowClock = opts.windowClock;
  // The journal redacts with every secret the run holds: those given now, then (through the env) the
  // embedded runtime's and every persona token as it is handed out.
  const secrets = new SecretMatcher();
  learnRunSecrets(secrets, { token: opts.token, adminHeaders: opts.adminHeaders, extraSecrets: opts.canary ? [opts.canary] : [] });
  const journal = new Journal(opts.journal?.file, { target: embedded ? 'embedded:' : opts.url!, maxBytes: opts.journal?.maxBytes, secrets });
  if (embedded) {
    // Loaded on demand: runs against a URL never pay for the reference runtime.
    const { createRuntime } = await import('../runtime/runtime.js');
    // Rate windows and preflight lifetimes run on a clock tool and runtime share: the run's waits, never the machine's speed, move it.
    windowClock ??= virtualClock();
    const runtime = createRuntime({ rateLimit: { ...EMBEDDED_RATE_LIMIT }, authFailureLimit: { ...EMBEDDED_AUTH_FAILURE_LIMIT }, faults: faultSelection, domain, variants: variantSelection, windowNow: windowClock.now });
    if (variants.length > 0 && !opts.targetFile) target = withToolScopes(target, runtime.tools ?? []);
    target.rateLimit = { ...EMBEDDED_RATE_LIMIT };
    // The embedded runtime's limit is known, not guessed.
    target.fixed = { ...target.fixed, rateLimit: true };
    transport = new InProcessTransport(runtime, { journal });
    if (bindingName === 'mcp') {
      // Like its rate limit, the embedded front's session quotas are known (MCP-008's bound).
      target.mcpSessionQuotas = { ...EMBEDDED_SESSION_QUOTAS };
      // So is the body cap of its loopback MCP front (MCP-010's oversized body).
      target.bodyLimitBytes = EMBEDDED_BODY_LIMIT;
      const callMs = opts.timeoutMs ?? SAME_PROCESS_TIMEOUT_MS;
      binding = (await import('./mcp-client.js')).inMemoryBinding(runtime, callMs, (w) => void journal.appendMcp(w));
      mcpWire = loopbackMcpWire(runtime, callMs, journal);
    }
    token ??= runtime.bootstrap.agentToken;
    adminHeaders ??= runtime.adminHeaders;
  } else {
    transport = new HttpTransport(opts.url!, { timeoutMs, journal });
    try {
      if (bindingName === 'mcp') {
        // The agent plane is MCP: a server that serves only MCP is judged without any HTTP agent route, and a
        // missing MCP endpoint is said once, before the first check.
        binding = (await import('./mcp-client.js')).httpBinding(transport.baseUrl, opts.mcpPath, timeoutMs, (w) => void journal.appendMcp(w));
        // One session and one tools/list before any check: a plain MCP server is said once (exit 3).
        const opened = await binding.openPort(token);
        // The token is checked here as over HTTP: a refused session is the token's, said once (exit 3).
        if (token && 'refused' in opened && opened.refused.status === 401) throw tokenRefused(token, 'MCP initialize', opened.refused.code);
        if ('tools' in opened) namesDescribe(transport, opened.tools, target, targetName, secrets, 'its MCP tools/list');
        mcpWire = urlMcpWire(transport.baseUrl, opts.mcpPath ?? '/mcp', timeoutMs, journal);
      } else await probe(transport);
      if (adminHeaders && Object.keys(adminHeaders).length > 0) await probeAdmin(transport, adminHeaders);
      // Over HTTP the token is checked up front (one manifest call); over MCP the session open above presents it.
      if (token && bindingName !== 'mcp') await probeToken(transport, token, target, targetName, secrets);
      // Admin credentials alone at --safety read-only: no token is minted (whose refused scopes would ask), so the
      // tools of the apps the server holds tell a description of another server, as a token's manifest would.
      else if (!token && adminHeaders && Object.keys(adminHeaders).length > 0 && sel.planned.length > 0 && sel.safety === 'read-only') {
        await describedThroughAdmin(transport, adminHeaders, target, targetName, secrets);
      }
    } catch (e) {
      await binding?.close();
      await transport.close();
      journal.close();
      throw e;
    }
  }

  if (opts.canary) plantCanary(transport, opts.canary);
  const registry = new PersonaRegistry(opts.marker);
  const admin = adminHeaders && Object.keys(adminHeaders).length > 0 ? adminHeaders : undefined;
  /** A run that stops before its checks: what it provisioned revoked, its connections closed; the words for what could not be revoked. */
  const abandon = async (): Promise<string> => {
    const { failed } = await cleanUp(registry, transport, admin);
    await binding?.close();
    await transport.close();
    journal.close();
    return failed.length > 0 ? `; could not revoke ${failed.join(', ')}: revoke by hand` : '';
  };
  // Whether the run minted its token itself: then it holds every scope and no policy.
  let runTokenMinted = false;
  if (!token && admin && safetyRank(sel.safety) >= safetyRank('draft') && sel.planned.length > 0) {
    // Admin credentials are enough: the run mints the agent token it needs (revoked at cleanup).
    const adminClient = createAdminClient((req) => transport.send(req, stop), admin, registry.hooks);
    try {
      token = (await provisionRunToken(adminClient, target)).token;
      runTokenMinted = true;
    } catch (e) {
      // The app asks for the target's scopes: a server that refuses them may be another server than the target
      // describes. The tools of the apps it holds tell (exit 2, as a token's manifest would); else the message asks.
      const invalid = e instanceof ToolError && e.code === 'OPC_E_ADMIN_REFUSED' && / HTTP (400|422) /.test(e.message);
      const described = invalid ? await describedThroughAdmin(transport, admin, target, targetName, secrets).then(() => undefined, (x: unknown) => x) : undefined;
      // Also after an interrupt during this POST /apps: the app may exist, carrying the run's marker.
      const left = await abandon();
      if (described instanceof ToolError) throw new ToolError(`${described.message}${left}`, described.code);
      const scopes = invalid ? ` (the app asks for the scopes ${targetName} names: does it describe this server?)` : '';
      throw e instanceof ToolError ? new ToolError(`cannot provision an agent token with the given admin headers: ${e.message}${scopes}${left}`, e.code) : e;
    }
  }
  // The description's own claims, read once before any check (src/runner/target-agrees.ts); the embedded
  // runtime's shipped description is its own (the tests hold them together), so only a --target is read there.
  if (token && bindingName !== 'mcp' && sel.planned.length > 0 && (!embedded || opts.targetFile)) {
    const send = (req: Parameters<Transport['send']>[0]) => transport.send(req, stop);
    try {
      // An unrestricted key: the one the run minted, else (with admin credentials, from --safety draft on, as the
      // run mints its own) one of its own, revoked at cleanup. Embedded, always one of its own: the run token's
      // budget (30 per second) stays the checks'. Else the run's --token, whose policy may hide rows.
      const mayMint = embedded || (!runTokenMinted && safetyRank(sel.safety) >= safetyRank('draft'));
      const adminClient = admin ? createAdminClient(send, admin, registry.hooks) : undefined;
      const own = adminClient && mayMint ? await provisionRunToken(adminClient, target).then((a) => a.token, () => undefined) : undefined;
      await checkTargetAgrees(createAgentClient(send, own ?? token, target.reads), target, targetName, embedded ? 'the embedded runtime' : transport.baseUrl, {
        preflights: safetyRank(sel.safety) >= safetyRank('draft'),
        minted: own !== undefined || runTokenMinted,
        ...(adminClient ? { admin: adminClient } : {}),
      });
    } catch (e) {
      const left = await abandon();
      throw e instanceof ToolError && left ? new ToolError(`${e.message}${left}`, e.code) : e;
    }
  }
  const env: RunEnv = {
    secrets,
    transport,
    target,
    ...(openapi === undefined ? {} : { openapi }),
    token,
    adminHeaders: admin,
    seed,
    registry,
    fuzz: { ...DEFAULT_FUZZ, ...opts.fuzz },
    onExchange: opts.onExchange,
    ...(opts.shard ? { personaTag: `_s${opts.shard.index}of${opts.shard.count}` } : {}),
    waitRetryAfter: opts.waitRetryAfter,
    ...(opts.longWaits ? { longWaits: true } : {}),
    replay: replayCommand(opts, sel, seed),
    journal,
    ...(binding ? { binding } : {}),
    ...(mcpWire ? { mcpWire } : {}),
    ...(opts.canary ? { extraSecrets: [opts.canary] } : {}),
    ...(windowClock ? { windowClock } : {}),
    // The embedded runtime is the run's own, thrown away at its end: nothing of the operator's is written to.
    ...(sel.safety === 'read-only' && !embedded ? { readOnly: true } : {}),
  };
  const targetLabel = embedded ? 'embedded:' : transport.baseUrl;
  opts.onEvent?.({ type: 'start', total: sel.planned.length, profile: sel.profile.name, target: targetLabel });

  let results;
  let cleanup: RunReport['cleanup'];
  let stopped: string | undefined;
  try {
    results = await runChecks(sel, {
      env,
      concurrency,
      signal: stop,
      deadlines: DEFAULT_DEADLINES,
      replay: env.replay,
      onResult: (result, done, total) => opts.onEvent?.({ type: 'result', result, done, total }),
    });
  } finally {
    // Decided before cleanup: a stop during cleanup leaves the checks' results complete.
    if (stop.aborted) stopped = stoppedBecause(stop);
    cleanup = await cleanUp(registry, transport, env.adminHeaders);
    await binding?.close();
    await mcpWire?.close();
    await transport.close();
  }
  const evidence = { journal: journal.close(), notInMemory: transport.unobserved() };

  // Checks of another binding's requirements neither pass nor fail here: the verdict is this binding's.
  const inapplicable = sel.planned.filter((p) => notApplicable(p.def, env) !== undefined).map((p) => p.def.id);
  const selection = selectionOf(opts, sel);
  const { verdict, exitCode } = verdictOf(
    results,
    { ...(selection ? { subset: 'only-exclude' as const } : opts.shard ? { subset: 'shard' as const } : {}), ...(opts.shard ? { shard: true } : {}), heldBack: sel.heldBack.map((p) => p.requirement), notApplicable: inapplicable, ...(stopped ? { interrupted: stopped } : {}) },
    { name: sel.profile.name, strict: opts.strict ?? false, safety: sel.safety },
  );
  const flag = heldBackFlag(sel, { token: !!env.token, admin: env.adminHeaders !== undefined });
  const report: RunReport = {
    tool: { name: 'openport-conform', version: TOOL_VERSION },
    target: { url: targetLabel, embedded, faults: [...faults], ...(domain !== DEFAULT_DOMAIN ? { domain } : {}), ...withDescription(opts.targetFile) },
    profile: sel.profile.name,
    safety: sel.safety,
    strict: opts.strict ?? false,
    seed,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    summary: summarize(results, sel.heldBack.length),
    heldBack: { ids: sel.heldBack.map((p) => p.requirement.id), ...(flag ? { flag } : {}) },
    ...(selection ? { selection } : {}),
    verdict,
    exitCode,
    results,
    ...(opts.shard ? { shard: { ...opts.shard } } : {}),
    // Over HTTP too when checks of another binding were skipped: the verdict every reader recomputes leaves them out.
    ...(binding || inapplicable.length > 0 ? { binding: { name: bindingName, endpoint: binding?.endpoint ?? targetLabel, notApplicable: inapplicable } } : {}),
    ...(stopped ? { stopped } : {}),
    cleanup,
    evidence,
  };
  opts.onEvent?.({ type: 'end', report });
  return report;
}
