/**
 * The check API: what a check declares and what it may use while it runs. Checks live in suites/, one
 * requirement per file; the runner (src/engine/runner.ts) gives each a CheckContext and turns what it
 * throws into a result. A Finding is the target's failure; any other exception is a tool error.
 */
import type { ReasonCode } from '../protocol/codes.js';
import type { AuditEvent, AutoExecuteConfig, PolicyConfig } from '../protocol/types.js';
import type { ReadArgs, ResolvedTarget } from './target.js';

/** Ordered safety classes: a run allows its class and everything below it. */
export const SAFETY_CLASSES = ['read-only', 'draft', 'execute', 'load'] as const;
export type Safety = (typeof SAFETY_CLASSES)[number];

/** How the agent plane is reached: the HTTP binding agent/v1, or MCP (docs/mcp-binding.md). */
export const BINDINGS = ['http', 'mcp'] as const;
export type BindingName = (typeof BINDINGS)[number];

/** What a check needs from the run configuration; missing needs make it `skip` with a hint. */
export type Need = 'token' | 'admin';

export interface CheckDef {
  /** The requirement id (src/protocol/requirements.ts) this check proves. One requirement, one check. */
  id: string;
  safety: Safety;
  needs: Need[];
  /** One line: how this check tests its requirement. */
  description: string;
  /** The reason code(s) the check expects to see, for explain/docs. */
  expectedCodes?: ReasonCode[];
  /** 'final' checks run after all others (they inspect the traffic the run observed). */
  phase?: 'normal' | 'final';
  /** Rate-limit checks set this: a 429 is their subject, not a blocker. */
  expects429?: boolean;
  /** Runs serially, never concurrently with other checks (bursts, timing-sensitive state). */
  exclusive?: boolean;
  /**
   * The bindings whose requirement this check judges (default: every binding). `['http']` for checks about
   * the HTTP binding itself (raw requests, headers, routes, methods): skipped with a reason on MCP.
   */
  bindings?: readonly BindingName[];
  run(ctx: CheckContext): Promise<void>;
}

export interface HttpExchangeRequest {
  method: string;
  /** Path with query string, relative to the target base URL. */
  path: string;
  headers: Record<string, string>;
  /** Raw body text as sent (JSON already serialized), if any. */
  body?: string;
}

export interface HttpExchangeResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON body, or undefined when the body is not JSON. */
  json: unknown;
  /** Only on exchanges read back from the journal (redacted): how many run credentials the response echoed. */
  echoed?: { headers: number; body: number };
}

/** One request and its response, as observed by the transport. */
export interface Exchange {
  request: HttpExchangeRequest;
  response: HttpExchangeResponse;
  durationMs: number;
}

export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A value to JSON-serialize, or a raw string sent as-is (for malformed-body tests). */
  body?: unknown;
  rawBody?: string;
}

/** The agent plane for one token. Every method returns the exchange; `.data` is parsed only by helpers in expect.ts. */
export interface AgentClient {
  readonly token: string | undefined;
  manifest(): Promise<Exchange>;
  /** Call read tool `tool` of the target description with arguments (merged over its defaults). */
  read(tool: string, query?: ReadArgs, headers?: Record<string, string>): Promise<Exchange>;
  preflight(action: string, payload: unknown): Promise<Exchange>;
  actions(body: Record<string, unknown>): Promise<Exchange>;
  draft(id: string): Promise<Exchange>;
  /** Any agent-plane request with this client's Authorization header (override by passing headers). */
  request(spec: RequestSpec): Promise<Exchange>;
}

export interface CreatedApp { appId: string; keyId: string; token: string; orgId: string; raw: unknown }

/** The admin plane, authenticated with the run's admin headers. Methods throw ToolError when the admin plane refuses. */
export interface AdminClient {
  createApp(spec: { name: string; scopes: string[]; orgId: string; serviceUserId?: string }): Promise<CreatedApp>;
  createKey(appId: string, opts?: { name?: string; expiresAt?: string }): Promise<Exchange>;
  revokeApp(appId: string): Promise<Exchange>;
  revokeKey(keyId: string): Promise<Exchange>;
  setPolicy(appId: string, policy: PolicyConfig): Promise<Exchange>;
  setAutoExecute(appId: string, cfg: AutoExecuteConfig): Promise<Exchange>;
  /** One page of the drafts listing; `cursor` is a previous page's `data.nextCursor` (servers without paging ignore it). */
  drafts(query?: { appId?: string; status?: string; cursor?: string }): Promise<Exchange>;
  draft(id: string): Promise<Exchange>;
  approve(draftId: string, note?: string): Promise<Exchange>;
  reject(draftId: string, note?: string): Promise<Exchange>;
  /** The audit events of one app (filtered client-side too), newest first. */
  audit(appId: string): Promise<AuditEvent[]>;
  request(spec: RequestSpec): Promise<Exchange>;
}

export interface PersonaSpec {
  /** Short label used in app names and cleanup listings, e.g. "readonly". */
  name: string;
  /** Scopes to grant; default: all scopes of the target. */
  scopes?: string[];
  /** Tenant; default the target's orgId. Use ctx.target.otherOrgId for the second tenant. */
  orgId?: string;
  policy?: PolicyConfig;
  autoExecute?: AutoExecuteConfig;
}

export interface Persona extends CreatedApp {
  name: string;
  client: AgentClient;
}

export interface CheckContext {
  readonly checkId: string;
  readonly seed: number;
  /** Deterministic PRNG derived from the run seed and the check id. Math.random is never used. */
  random(): number;
  readonly target: ResolvedTarget;
  /** The agent plane's binding of this run (a check of both bindings may leave out an HTTP-only probe). */
  readonly binding: BindingName;
  /** Agent client for the run's token (--token, or the embedded runtime's bootstrap key). Skips the check if none. */
  readonly agent: AgentClient;
  /** Admin client. Accessing it skips the check when no admin headers were given. */
  readonly admin: AdminClient;
  /** A client with no Authorization header (or any token you pass). */
  client(token?: string): AgentClient;
  /** Provision a fresh app + key through the admin plane (always new; cleaned up at the end of the run). */
  persona(spec: PersonaSpec): Promise<Persona>;
  /** The exchanges observed so far in this run (bounded), for 'final' checks. */
  observed(): readonly Exchange[];
  /**
   * The address this tool connects from (the socket's local address) and whether the target is on loopback,
   * where it is the client IP the server sees. Undefined when it cannot be learnt. Embedded: 127.0.0.1.
   */
  clientAddress(): Promise<{ ip: string; loopback: boolean } | undefined>;
  /**
   * How many exchanges of this run observed() no longer holds (its memory bounds dropped them; the journal
   * on disk still has them). A check that must judge every exchange cannot pass while this is non-zero.
   */
  unobserved(): number;
  /**
   * Every exchange of the run so far, oldest first: the in-memory sample while it holds them all, else
   * read back from the journal (redacted; `response.echoed` counts the credentials a response carried).
   * Throws a ToolError ("evidence incomplete") when neither has them all: no journal, or a cut one.
   */
  exchanges(): AsyncIterable<Exchange>;
  /** Credentials the run holds (tokens, credential admin headers; not identifying ones such as x-admin-user) — for leak scans. */
  secrets(): readonly string[];
  /** Record a fact for the report's `actual` (kept even on pass). */
  note(text: string): void;
  /** Sleep without busy-waiting (bounded by the run's timeout). */
  sleep(ms: number): Promise<void>;
  /** Reading the clock is allowed; checks must never assert on timing. */
  now(): number;
  /** Abort signal of the run (deadline or Ctrl-C). */
  readonly signal: AbortSignal;
  /** Work bounds for generated-input checks (--fuzz-runs, --fuzz-time); defaults keep a run short. */
  readonly fuzz: { runs: number; timeMs: number; path?: string };
  /** --wait-retry-after: wait out a long Retry-After in full (default: prove it counts down, wait ≤ 2 s). */
  readonly waitRetryAfter: boolean;
  /** A ready-to-paste command that replays this check of this run; with a fuzz path, that one counterexample. */
  replay(fuzzPath?: string): string;
}

/** The target failed the requirement. */
export class Finding extends Error {
  constructor(
    message: string,
    readonly expected: string,
    readonly actual: string,
    readonly exchange?: Exchange,
    /** A command that reproduces this finding more exactly than the check's replay (a fuzz counterexample's). */
    readonly replay?: string,
  ) {
    super(message);
    this.name = 'Finding';
  }
}

/** The check cannot run in this configuration (missing admin headers, held back by safety, target lacks a tool). */
export class Skip extends Error {
  constructor(message: string, readonly hint?: string) {
    super(message);
    this.name = 'Skip';
  }
}

/** The check was blocked by something outside its subject (a 429 it did not provoke on purpose). */
export class Blocked extends Error {
  constructor(message: string, readonly exchange?: Exchange) {
    super(message);
    this.name = 'Blocked';
  }
}

/** The tool itself could not do its job (bad config, unreachable target, admin plane refused provisioning). */
export class ToolError extends Error {
  constructor(message: string, readonly exitCode: 2 | 3 = 3) {
    super(message);
    this.name = 'ToolError';
  }
}
