/** The CheckContext a check runs with: clients bound to the run's transport, personas, seeded randomness. */
import { createHash } from 'node:crypto';
import { isCredentialHeader, SecretMatcher } from '../protocol/redact.js';
import { Blocked, Skip, ToolError, type Exchange, type HttpExchangeRequest, type AdminClient, type AgentClient, type CheckContext, type CheckDef, type Need, type RunHint } from '../kit/check.js';
import { createAdminClient, createAgentClient, type Send } from '../kit/clients.js';
import { retryAfterSeconds } from '../kit/burst.js';
import { PersonaRegistry, provisionPersona } from './personas.js';
import type { ResolvedTarget } from '../kit/target.js';
import { exchangeFromJournal, type Transport } from './transport.js';
import { journalEntries, type Journal } from './journal.js';
import { localAddressTo } from './local-address.js';
import type { McpBinding } from './mcp-client.js';
import { wallClock, type Clock } from './clock.js';

export interface FuzzBudget { runs: number; timeMs: number; path?: string; corpus?: string }

/** What every check of one run shares. */
export interface RunEnv {
  transport: Transport;
  target: ResolvedTarget;
  /** --openapi FILE, parsed. */
  openapi?: unknown;
  token?: string;
  adminHeaders?: Record<string, string>;
  seed: number;
  registry: PersonaRegistry;
  fuzz: FuzzBudget;
  /** Appended to persona names (e.g. "_s2of3") so parallel shards against one server do not collide. */
  personaTag?: string;
  /** Called with every exchange a check sends (explain --target records a check's requests with it). */
  onExchange?: (checkId: string, ex: Exchange) => void;
  /** --wait-retry-after: rate-limit checks wait out a long Retry-After in full instead of proving it counts down. */
  waitRetryAfter?: boolean;
  /** --long-waits: checks that wait out a server-side lifetime (CheckDef.waitsMs) run against the wall clock too. */
  longWaits?: boolean;
  /** The command that replays one check of this run (with a fuzz path: that one counterexample). */
  replay?: (id: string, fuzzPath?: string) => string;
  /** --binding mcp: the agent plane over MCP (the admin plane stays on `transport`). Absent: HTTP. */
  binding?: McpBinding;
  /** --binding mcp: raw HTTP to the MCP endpoint (`path`), for the checks of the binding's own rules (CheckContext.mcpWire). */
  mcpWire?: { path: string; send(req: HttpExchangeRequest, signal: AbortSignal): Promise<Exchange> };
  /** Where every exchange also went; read back when the transport's sample no longer holds them all. */
  journal?: Journal;
  /** Further values the run holds and redacts everywhere (the certify canary). */
  extraSecrets?: string[];
  /**
   * The matcher the journal redacts with, when the run made one before this env (to redact its first
   * requests); the env's own secrets are added to it. Absent: secretsOf(env) makes one.
   */
  secrets?: SecretMatcher;
  /** The clock the target's time windows run on (ctx.windowClock, src/runner/clock.ts). Absent: the wall clock. */
  windowClock?: Clock;
  /**
   * --safety read-only against a url: the run writes nothing, so no persona is provisioned through the admin plane
   * either. (The embedded runtime is the run's own: personas are provisioned there at any safety.)
   */
  readOnly?: boolean;
}

/** What the runner reads back after the check: its notes, what of it did not run, and the first 429 it did not ask for. */
export interface CheckState {
  notes: string[];
  partial: string[];
  blocked?: Blocked;
  /** Requests the check has sent so far: each carries its ordinal (`step`) into the journal. */
  steps: number;
  /** Called on every answer the check receives: the runner's deadline counts from the last one. */
  onProgress?: () => void;
  /**
   * Wraps a wait for a value another check is making (CheckContext.shared): the runner's deadline does not run
   * out meanwhile (that check's own deadline bounds the wait) and counts afresh once it is over.
   */
  waitingOn?: <T>(other: Promise<T>) => Promise<T>;
}

/** Why a check cannot run without the token or the admin plane, and the flag that enables it. */
export const MISSING: Record<Need, { message: string; hint: RunHint }> = {
  token: { message: 'needs an agent token', hint: "--token, or --admin-header with --safety draft (or above) to let the tool provision one" },
  admin: { message: 'needs the admin plane', hint: "--admin-header 'Name: value'" },
};

/** Why a check that provisions a persona does not run at --safety read-only, and the flag that allows it. */
export const READ_ONLY_PERSONA = {
  message: 'provisions an app and key through the admin plane, a write --safety read-only holds back',
  hint: '--safety draft',
} as const;

/** MISSING for a run that holds (or not) admin credentials: with them, a token is one --safety draft away. */
export function missing(need: Need, hasAdmin: boolean): { message: string; hint: RunHint } {
  return need === 'token' && hasAdmin ? { message: MISSING.token.message, hint: '--safety draft (or above): the tool then provisions one through the admin plane; or --token' } : MISSING[need];
}

export function lacks(env: RunEnv, need: Need): boolean {
  return need === 'token' ? !env.token : !env.adminHeaders || Object.keys(env.adminHeaders).length === 0;
}

/** mulberry32: small, fast, and good enough for test-input choices; seeded so every run replays. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A per-check seed: the same run seed gives every check its own, stable stream. */
export function checkSeed(seed: number, checkId: string): number {
  return createHash('sha256').update(`${seed >>> 0}:${checkId}`).digest().readUInt32LE(0);
}

/**
 * Teach `m` what a run configuration holds: its token, admin header values (and their bearer parts), extra
 * values. Values of identifying admin headers (x-admin-user) are redacted but are no credentials: a server
 * may name its operator in a response, it must never echo a token. Returns that judgement, for the tokens
 * the run learns later.
 */
export function learnRunSecrets(m: SecretMatcher, from: Pick<RunEnv, 'token' | 'adminHeaders' | 'extraSecrets'>): (s: string) => boolean {
  const identities = new Set(Object.entries(from.adminHeaders ?? {}).filter(([name]) => !isCredentialHeader(name)).map(([, v]) => v));
  const credential = (s: string) => !identities.has(s);
  if (from.token) m.add(from.token, credential(from.token));
  for (const v of Object.values(from.adminHeaders ?? {})) {
    m.add(v, credential(v));
    const bearer = /^Bearer\s+(.+)$/i.exec(v)?.[1];
    if (bearer) m.add(bearer, credential(bearer));
  }
  for (const t of from.extraSecrets ?? []) m.add(t, credential(t));
  return credential;
}

const MATCHERS = new WeakMap<RunEnv, SecretMatcher>();
/** CheckContext.shared: what the checks of one run share, by key. */
const SHARED = new WeakMap<RunEnv, Map<string, { value: Promise<unknown>; made: boolean }>>();

/**
 * Every secret of the run in one matcher, which learns each token the registry is handed from then on:
 * built once per run (at its first check), never per exchange.
 */
export function secretsOf(env: RunEnv): SecretMatcher {
  let m = MATCHERS.get(env);
  if (m) return m;
  const matcher = (m = env.secrets ?? new SecretMatcher());
  const credential = learnRunSecrets(matcher, env);
  for (const t of env.registry.secrets()) matcher.add(t, credential(t));
  env.registry.onSecret((t) => matcher.add(t, credential(t)));
  MATCHERS.set(env, matcher);
  return matcher;
}

/** Every secret the run holds: its token, admin header values (and bearer parts), extra values, persona tokens. */
export function runSecrets(env: RunEnv): readonly string[] {
  return secretsOf(env).secrets;
}

/**
 * The run's credentials, for leak scans: runSecrets without the values of identifying admin headers (a
 * server may name its operator, e.g. x-admin-user, in a response; it must never echo a token). The same
 * array until the run learns a new one, so scans may index it once.
 */
export function credentialSecrets(env: RunEnv): readonly string[] {
  return secretsOf(env).credentials;
}

/** Every exchange of the run so far: the sample while complete, else the journal (see CheckContext.exchanges). */
export async function* allExchanges(env: RunEnv): AsyncGenerator<Exchange> {
  const dropped = env.transport.unobserved();
  if (dropped === 0) {
    yield* env.transport.observed();
    return;
  }
  // Written out first: a write that fails now must show in the summary before the file is read back.
  env.journal?.flush();
  const s = env.journal?.summary();
  // (A journal cut by a check line that did not fit is truncated but holds every exchange: it is read.)
  if (!s?.file || s.error !== undefined || s.dropped > 0) {
    const why = !s?.file ? 'the run writes no journal (choose a file reporter, e.g. --reporter pretty,json)' : s.error !== undefined ? `the journal stopped: ${s.error}` : `the journal ${s.file} was cut at its byte cap (--journal-max-bytes)`;
    throw new ToolError(`evidence incomplete: ${dropped} exchange(s) of this run are no longer in memory and ${why}`, 'OPC_E_EVIDENCE_INCOMPLETE');
  }
  for await (const e of journalEntries(s.file)) if (e.response) yield exchangeFromJournal({ ...e, response: e.response });
}

async function* progressing(all: AsyncGenerator<Exchange>, state: CheckState): AsyncGenerator<Exchange> {
  for await (const ex of all) {
    state.onProgress?.();
    yield ex;
  }
}

/**
 * The concurrency slot a check holds while it runs (runner.ts): `wait` gives it up while the check only
 * waits, so that another check runs meanwhile, and takes one again before the check goes on.
 */
export interface Slot {
  wait<T>(waiting: Promise<T>): Promise<T>;
}

/** Rate-limit waits one check makes at most in ctx.outwaitRateLimit, each at most RATE_LIMIT_WAIT_MAX_MS. */
export const RATE_LIMIT_WAITS = 3;
export const RATE_LIMIT_WAIT_MAX_MS = 65_000;

/**
 * How long to wait out a rate limiter's 429: its Retry-After in delta-seconds (at least 1 s), else the
 * target's window; never longer than RATE_LIMIT_WAIT_MAX_MS.
 */
export function rateLimitWaitMs(ex: Exchange, windowMs: number): number {
  const seconds = retryAfterSeconds(ex.response.headers['retry-after']);
  return Math.min(seconds === undefined ? windowMs : Math.max(1, seconds) * 1000, RATE_LIMIT_WAIT_MAX_MS);
}

export function createContext(def: CheckDef, env: RunEnv, signal: AbortSignal, slot?: Slot): { ctx: CheckContext; state: CheckState } {
  const state: CheckState = { notes: [], partial: [], steps: 0 };
  // Bound before the check sends anything, so the journal knows every secret of the env.
  const secrets = secretsOf(env);
  // Inside ctx.bulk: the exchanges this check sends are bulk traffic (a concurrent send of the same check
  // is marked too; that only lets the journal keep a sample of a success body).
  let bulkDepth = 0;
  const mark = (req: HttpExchangeRequest): HttpExchangeRequest => ({ ...req, ...(bulkDepth > 0 ? { bulk: true } : {}), check: def.id, step: ++state.steps });
  // Inside ctx.outwaitRateLimit: a rate limiter's 429 is handed back to the check, which waits it out.
  let tolerating429 = 0;
  const quotaReason = (ex: Exchange): string | undefined => {
    // A 429 that names another reason than a rate (storage_full: a cap of what the server keeps) is a quota.
    const reason = (ex.response.json as { details?: { reason?: unknown } } | undefined)?.details?.reason;
    return typeof reason === 'string' && !/rate/i.test(reason) ? reason : undefined;
  };
  const block = (ex: Exchange, after = ''): never => {
    const quota = quotaReason(ex);
    const blocked = quota !== undefined
      ? new Blocked(`refused for lack of room: ${ex.request.method} ${ex.request.path} answered HTTP 429 with details.reason ${JSON.stringify(quota.slice(0, 40))}, a quota of the server rather than a rate limit`, ex,
        // The embedded runtime is this run's own and starts empty: only less traffic makes room there.
        env.transport.embedded
          ? 'the embedded runtime holds what one run makes up to its caps (docs/runtime-limits.md): a run that makes less (a smaller --fuzz-runs) stays within them'
          : 'free room on the server (revoke apps or keys it keeps, let its drafts and records expire) and rerun')
      : new Blocked(`rate limited: ${ex.request.method} ${ex.request.path} answered HTTP 429, which this check did not provoke${after}`, ex);
    state.blocked ??= blocked;
    throw blocked;
  };
  const observe = (ex: Exchange): Exchange => {
    state.onProgress?.();
    env.onExchange?.(def.id, ex);
    if (ex.response.status === 429 && !def.expects429 && !(tolerating429 > 0 && quotaReason(ex) === undefined)) block(ex);
    return ex;
  };
  let rateWaitsLeft = RATE_LIMIT_WAITS;
  // MCP exchanges bypass the transports, which journal theirs: they are journaled here, as the checks saw them.
  // An exchange that went on the wire is journaled as it went (the JSON-RPC messages), not as the envelope
  // view the checks judge.
  const journaled = (ex: Exchange): Exchange => {
    const seq = ex.mcp ? env.journal?.appendMcp(ex.mcp, mark(ex.mcp.request), ex.response.json) : env.journal?.append(mark(ex.request), { exchange: ex });
    if (seq !== undefined) ex.seq = seq;
    env.transport.keep(ex);
    return observe(ex);
  };
  const sendOn =
    (transport: Transport): Send =>
    async (req) => {
      if (signal.aborted) throw new ToolError(`${def.id}: aborted before ${req.method} ${req.path}`, 'OPC_E_ABORTED');
      return observe(await transport.send(mark(req), signal));
    };
  const send = sendOn(env.transport);
  const clientFor = (token?: string): AgentClient =>
    env.binding ? env.binding.client(token, env.target.reads, journaled, signal) : createAgentClient(send, token, env.target.reads);
  let agent: AgentClient | undefined;
  let admin: AdminClient | undefined;
  const adminClient = (): AdminClient => {
    if (lacks(env, 'admin')) throw new Skip(MISSING.admin.message, MISSING.admin.hint);
    return (admin ??= createAdminClient(send, env.adminHeaders!, env.registry.hooks));
  };
  const random = mulberry32(checkSeed(env.seed, def.id));
  // Only waits on the wall clock (a run against a url) give up the check's slot: there they cost real time. On a
  // virtual clock (in-process) a wait moves the clock at once, and the order of the checks stays as it was.
  const idle = <T>(waiting: Promise<T>): Promise<T> => (slot && env.windowClock === undefined ? slot.wait(waiting) : waiting);
  // A pause shorter than this (a fuzz step's breath, a retry's backoff) keeps the check's place: giving it up
  // would start another check for every few milliseconds of waiting.
  const MIN_IDLE_MS = 100;
  const sleepOn = (clock: Clock, ms: number) => (ms >= MIN_IDLE_MS ? idle(clock.sleep(ms, signal, def.id)) : clock.sleep(ms, signal, def.id));

  const ctx: CheckContext = {
    checkId: def.id,
    seed: env.seed,
    random,
    target: env.target,
    openapi: env.openapi,
    binding: env.binding?.name ?? 'http',
    ...(env.mcpWire
      ? {
          mcpWire: async (req: { method: string; query?: string; headers: Record<string, string>; body?: string }) => {
            if (signal.aborted) throw new ToolError(`${def.id}: aborted before ${req.method} ${env.mcpWire!.path}`, 'OPC_E_ABORTED');
            const sent = { method: req.method, path: `${env.mcpWire!.path}${req.query ?? ''}`, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) };
            return observe(await env.mcpWire!.send(mark(sent), signal));
          },
        }
      : {}),
    get agent() {
      if (lacks(env, 'token')) throw new Skip(MISSING.token.message, MISSING.token.hint);
      return (agent ??= clientFor(env.token));
    },
    get admin() {
      return adminClient();
    },
    client: clientFor,
    persona: async (spec) => {
      const admin = adminClient();
      if (env.readOnly) throw new Skip(READ_ONLY_PERSONA.message, READ_ONLY_PERSONA.hint);
      return provisionPersona(admin, env.target, spec, clientFor, env.personaTag);
    },
    provisions: !lacks(env, 'admin') && env.readOnly !== true,
    observed: () => env.transport.observed(),
    clientAddress: async () => (env.transport.embedded ? { ip: '127.0.0.1', loopback: true } : localAddressTo(env.transport.baseUrl, 2_000)),
    fromSecondAddress: async (token) => {
      // The transport finds the second address (and proves a socket can bind it); over MCP the binding's
      // sessions are then opened from there, to the same endpoint.
      const second = await env.transport.secondAddress();
      if ('why' in second) return second;
      if (env.binding) return { client: env.binding.fromAddress(second.ip).client(token, env.target.reads, journaled, signal), ip: second.ip };
      return { client: createAgentClient(sendOn(second.transport), token, env.target.reads), ip: second.ip };
    },
    unobserved: () => env.transport.unobserved(),
    // Each exchange read is progress against the check's deadline: reading back a long journal on a loaded
    // machine is the check at work, not a server that does not answer.
    exchanges: () => progressing(allExchanges(env), state),
    secrets: () => secrets.credentials,
    outwaitRateLimit: async (send) => {
      for (;;) {
        tolerating429++;
        let ex: Exchange;
        try {
          ex = await send();
        } finally {
          tolerating429--;
        }
        if (ex.response.status !== 429 || def.expects429) return ex;
        if (rateWaitsLeft === 0) block(ex, ` (after ${RATE_LIMIT_WAITS} waits for its rate limit)`);
        rateWaitsLeft--;
        const ms = rateLimitWaitMs(ex, env.target.rateLimit.windowMs);
        state.notes.push(`waited ${(ms / 1000).toFixed(1)} s for a rate limit's 429 on ${ex.request.method} ${ex.request.path} before asking again`);
        // Off the deadline (no answer is due meanwhile) and off the check's slot.
        const pause = (env.windowClock ?? wallClock).sleep(ms, signal, def.id);
        await idle(state.waitingOn ? state.waitingOn(pause) : pause);
      }
    },
    bulk: async (run) => {
      bulkDepth++;
      try {
        return await run();
      } finally {
        bulkDepth--;
      }
    },
    shared: <T>(key: string, make: () => Promise<T>): Promise<T> => {
      let run = SHARED.get(env);
      if (!run) SHARED.set(env, (run = new Map()));
      const known = run.get(key);
      if (known) {
        const value = known.value as Promise<T>;
        // Made already: nothing to wait for, so the check keeps its place and its deadline.
        if (known.made) return value;
        return idle(state.waitingOn ? state.waitingOn(value) : value);
      }
      const entry = { value: make() as Promise<unknown>, made: false };
      // Nobody may be waiting for it yet when it fails; each caller sees the rejection through its own await.
      entry.value.then(() => void (entry.made = true), () => void (entry.made = true));
      run.set(key, entry);
      return entry.value as Promise<T>;
    },
    note: (text) => void state.notes.push(text),
    partial: (reason) => void state.partial.push(reason),
    sleep: (ms) => sleepOn(wallClock, ms),
    now: () => wallClock.now(),
    windowClock: { now: () => (env.windowClock ?? wallClock).now(), sleep: (ms) => sleepOn(env.windowClock ?? wallClock, ms) },
    signal,
    fuzz: env.fuzz,
    waitRetryAfter: env.waitRetryAfter === true,
    replay: (fuzzPath) => env.replay?.(def.id, fuzzPath) ?? `openport-conform ${fuzzPath === undefined ? 'run' : 'fuzz'} --only ${def.id} --seed ${env.seed >>> 0}${fuzzPath === undefined ? '' : ` --path ${fuzzPath}`}`,
  };
  return { ctx, state };
}
