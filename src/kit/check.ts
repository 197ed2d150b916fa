/**
 * The check API: what a check declares and what it may use while it runs. Checks live in suites/, one
 * requirement per file; the runner (src/engine/runner.ts) gives each a CheckContext and turns what it
 * throws into a result. A Finding is the target's failure; any other exception is a tool error.
 */
import { mcpExpectation, mcpPhrases, mcpWorded } from './mcp-words.js';
import type { ReasonCode } from '../protocol/codes.js';
import { routePattern, type AuditEvent, type AutoExecuteConfig, type PolicyConfig } from '../protocol/types.js';
import type { ReadArgs, ResolvedTarget } from './target.js';
import { TOOL_ERRORS, type ToolErrorCode } from './tool-errors.js';

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
  /**
   * The time the check waits out on the target's clock (ctx.windowClock), e.g. a server-side lifetime. In-process
   * the run's virtual clock moves it at once; against a server's wall clock the check runs only under
   * --long-waits (its deadline grows by it), and without it stays outside the verdict, like another binding's
   * checks, with that flag as its hint.
   */
  waitsMs?: number;
  run(ctx: CheckContext): Promise<void>;
}

export interface HttpExchangeRequest {
  method: string;
  /** Path with query string, relative to the target base URL. */
  path: string;
  headers: Record<string, string>;
  /** Raw body text as sent (JSON already serialized), if any. */
  body?: string;
  /**
   * Set by CheckContext.bulk for the exchanges sent inside it (a burst, fuzz cases past the first ones): the
   * journal may keep a sample and digest of their bodies where no check could fail on the rest. Never sent.
   */
  bulk?: true;
  /**
   * Set by the check context: the check that sent it and its ordinal among that check's requests (1, 2, …),
   * which the journal records (`check`, `step`) so that verify can tell each result's own exchanges. Never sent.
   */
  check?: string;
  step?: number;
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
  /**
   * Only on exchanges read back from the journal whose success envelope it kept as a sample (bulk traffic):
   * `text` is the sample, and `json` the envelope's ok and code with `data: null` standing for the rest.
   */
  elided?: { bytes: number; sha256: string };
  /**
   * The server answered, but not with a valid HTTP/1.1 message (HTTP/0.9, Content-Length with
   * Transfer-Encoding, invalid chunking, a header block over the limit): `status` is 0, the body empty, and
   * this says what was wrong and the raw first line (when the request was safe to send again to read it).
   */
  framing?: { reason: string; firstLine?: string };
}

/** One request and its response, as observed by the transport. */
export interface Exchange {
  request: HttpExchangeRequest;
  response: HttpExchangeResponse;
  durationMs: number;
  /**
   * The run journal's sequence number of this exchange (transcript.har `_seq`): what a finding cites in
   * `finding.exchanges`. Absent on exchanges no journal recorded (a transport used outside a run).
   */
  seq?: number;
  /**
   * On the MCP binding: the exchange as it went on the wire — the Streamable HTTP request carrying the
   * JSON-RPC message (its id, the session id, the Accept header) and what the server answered (JSON or an
   * event stream); in memory, the JSON-RPC request and answer as Streamable HTTP would carry them.
   * `request` and `response` above are then the envelope view the checks judge (docs/mcp-binding.md's
   * mapping); the journal, reports and reproduce lines show this.
   */
  mcp?: McpWire;
}

/** One MCP message exchange on the wire (Exchange.mcp). */
export interface McpWire {
  /** The JSON-RPC method (`tools/call`, `initialize`, `notifications/initialized`, …). */
  rpc: string;
  /** For `tools/call`: the tool's name. */
  tool?: string;
  request: HttpExchangeRequest;
  /** Absent when no answer came (`error` says why). */
  response?: { status: number; headers: Record<string, string>; text: string };
  error?: string;
  durationMs: number;
}

export interface RequestSpec {
  method: string;
  path: string;
  headers?: Record<string, string>;
  /** A value to JSON-serialize, or a raw string sent as-is (for malformed-body tests). */
  body?: unknown;
  rawBody?: string;
  /** Bulk traffic (HttpExchangeRequest.bulk): the journal may keep a sample and digest of a success body. */
  bulk?: true;
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
  /** `scope` personal: the app acts as its user, and with no `userId` it names none (default workspace, acting as `serviceUserId`). */
  createApp(spec: { name: string; scopes: string[]; orgId: string; serviceUserId?: string; scope?: 'workspace' | 'personal'; userId?: string }): Promise<CreatedApp>;
  /** `refusable`: a refusal is returned, not thrown (for a check that judges it). */
  createKey(appId: string, opts?: { name?: string; expiresAt?: string; refusable?: boolean }): Promise<Exchange>;
  revokeApp(appId: string): Promise<Exchange>;
  revokeKey(keyId: string): Promise<Exchange>;
  setPolicy(appId: string, policy: PolicyConfig): Promise<Exchange>;
  setAutoExecute(appId: string, cfg: AutoExecuteConfig): Promise<Exchange>;
  /** One page of the drafts listing; `cursor` is a previous page's `data.nextCursor` (servers without paging ignore it). */
  drafts(query?: { appId?: string; status?: string; cursor?: string }): Promise<Exchange>;
  draft(id: string): Promise<Exchange>;
  approve(draftId: string, note?: string): Promise<Exchange>;
  reject(draftId: string, note?: string): Promise<Exchange>;
  /**
   * The audit events of one app (filtered client-side too), newest first. `thorough`: an oldest-first listing is
   * read from the run's own start (before this run's first readable event), not from near where an earlier read
   * ended: for reads whose events are taken as complete.
   */
  audit(appId: string, opts?: { thorough?: boolean }): Promise<AuditEvent[]>;
  /**
   * Why the last audit read of `appId` may have left out some of its events (a page as long as the one asked for
   * and no cursor, or the page bound of a listing newest first, not reaching back past the app's creation), or
   * undefined when it read them all: an event it did not show is then no evidence of its absence.
   */
  auditCutShort(appId: string): string | undefined;
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
  /**
   * 'personal-no-user': a personal app created without a user_id, so it has no actor unless the server assigns
   * one (§6 step 5 refuses such an app's requests with 403 agent.forbidden). Default: a workspace app with its service user.
   */
  actor?: 'personal-no-user';
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
  /** The OpenAPI description given with --openapi (parsed), when one was: ENV-010 judges responses by it. */
  readonly openapi?: unknown;
  /** The agent plane's binding of this run (a check of both bindings may leave out an HTTP-only probe). */
  readonly binding: BindingName;
  /**
   * --binding mcp: one raw HTTP request to the MCP endpoint (`query` appended to its path), for the binding's
   * own wire rules (Host, Origin, credentials, sessions; src/kit/mcp-wire.ts speaks JSON-RPC over it).
   * Undefined on the HTTP binding. Embedded, the runtime's MCP front is served on loopback for it.
   */
  readonly mcpWire?: (req: { method: string; query?: string; headers: Record<string, string>; body?: string }) => Promise<Exchange>;
  /** Agent client for the run's token (--token, or the embedded runtime's bootstrap key). Skips the check if none. */
  readonly agent: AgentClient;
  /** Admin client. Accessing it skips the check when no admin headers were given. */
  readonly admin: AdminClient;
  /** A client with no Authorization header (or any token you pass). */
  client(token?: string): AgentClient;
  /**
   * Provision a fresh app + key through the admin plane (always new; cleaned up at the end of the run). A write:
   * skips the check without admin headers, and at --safety read-only (see `provisions`).
   */
  persona(spec: PersonaSpec): Promise<Persona>;
  /**
   * Whether persona() may provision: the run has admin headers and writes (--safety draft or above; read-only
   * writes nothing, the admin plane included). A check that can use the run's token instead asks this first.
   */
  readonly provisions: boolean;
  /** The exchanges observed so far in this run (bounded), for 'final' checks. */
  observed(): readonly Exchange[];
  /**
   * The address this tool connects from (the socket's local address) and whether the target is on loopback,
   * where it is the client IP the server sees. Undefined when it cannot be learnt. Embedded: 127.0.0.1.
   */
  clientAddress(): Promise<{ ip: string; loopback: boolean } | undefined>;
  /**
   * An agent client for `token` whose requests come from a second client address the server sees (embedded:
   * 127.0.0.2; to an IPv4 loopback target: a socket bound to another loopback address), over the run's
   * binding (on MCP: sessions of its own, opened from there). `why` when this run has none: a remote target,
   * or a host that cannot bind it.
   */
  fromSecondAddress(token: string): Promise<{ client: AgentClient; ip: string } | { why: string }>;
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
  /**
   * Send one request whose rate limiter may still be counting this check's earlier traffic (a read-back of many
   * pages after a burst of writes on the same key): a 429 of the rate limiter (not a quota's) is waited out —
   * its Retry-After, else the target's window, off the check's deadline — and the request sent again, a few
   * times per check at most (then the check is blocked, as by any 429 it did not provoke). Each wait is noted.
   * Observations only: a judged request meeting a 429 is blocked at once.
   */
  outwaitRateLimit(send: () => Promise<Exchange>): Promise<Exchange>;
  /**
   * Run `send` with every exchange it makes marked as bulk traffic (HttpExchangeRequest.bulk): the journal
   * keeps a sample and digest of their success bodies instead of the whole. For bursts and fuzz cases past
   * the first ones, whose volume would otherwise fill the journal's cap; errors are always kept whole.
   */
  bulk<T>(send: () => Promise<T>): Promise<T>;
  /**
   * A value made once per run and handed to every check that asks for it by `key` (a rate-limit window that
   * one burst fills for several checks): the first caller makes it in its own context, so the requests
   * that make it are that check's own; the others wait for the same promise, and a make that fails fails
   * for each of them. Share data (ids, tokens, exchanges), never a client: a client sends as the check that
   * made it.
   */
  shared<T>(key: string, make: () => Promise<T>): Promise<T>;
  /** Record a fact for the report's `actual` (kept even on pass). */
  note(text: string): void;
  /**
   * Record that part of this check did not run (a probe the target cannot take, a budget that ran out), in
   * words a reader can act on. A pass then is a partial pass carrying the reasons, which certify never takes
   * for a full pass; a finding still fails.
   */
  partial(reason: string): void;
  /** Sleep without busy-waiting (bounded by the run's timeout). */
  sleep(ms: number): Promise<void>;
  /** Reading the clock is allowed; checks must never assert on timing. */
  now(): number;
  /**
   * The clock the target's time windows run on (its rate windows, a preflightId's lifetime), for bursts,
   * Retry-After waits and waiting out a lifetime: the wall clock against a URL; in-process (the embedded
   * runtime, tests serving a runtime) a virtual one the runtime shares, which moves only when a check waits
   * on it (src/runner/clock.ts).
   */
  readonly windowClock: { now(): number; sleep(ms: number): Promise<void> };
  /** Abort signal of the run (deadline or Ctrl-C). */
  readonly signal: AbortSignal;
  /** Work bounds for generated-input checks (--fuzz-runs, --fuzz-time); defaults keep a run short. */
  readonly fuzz: { runs: number; timeMs: number; path?: string; /** --corpus DIR: counterexamples FUZZ-008 replays besides the shipped ones. */ corpus?: string };
  /** --wait-retry-after: wait out a long Retry-After in full (default: prove it counts down, wait ≤ 2 s). */
  readonly waitRetryAfter: boolean;
  /** A ready-to-paste command that replays this check of this run; with a fuzz path, that one counterexample. */
  replay(fuzzPath?: string): string;
}

/**
 * What a finding expected or observed, as data: the HTTP status, the reason code, the JSON pointer (RFC
 * 6901) into the response body where it differs, and `text`, the words a report shows. Baselines, SARIF and
 * verify read the fields; nothing reads the text back.
 */
export interface Observation {
  status?: number;
  code?: string;
  pointer?: string;
  text: string;
}

/** The structured form of a Finding (the positional form derives what it can from the exchange). */
export interface FindingSpec {
  message: string;
  expected: string | Observation;
  actual: string | Observation;
  /** The exchanges the finding rests on, the failing one first. */
  exchanges?: readonly Exchange[];
  /** Method and path template of the failing request; default: that of the first exchange. */
  route?: string;
  /** A command that reproduces this finding more exactly than the check's replay (a fuzz counterexample's). */
  replay?: string;
  /**
   * The failing request was generated from the run's seed (a fuzz counterexample): which route it hit is the
   * seed's choice, so the finding's fingerprint leaves the route out.
   */
  generated?: boolean;
}

/** Path segments that are ids minted by a server (app_…, drf_…, key_…) stand for any id: `/drafts/:id`. */
export const MINTED_ID = /^[a-z]{2,4}_[A-Za-z0-9_-]{6,}$/;

/** "POST /api/agent/v1/drafts/:id": the method and the path without query or minted ids. */
export function routeOf(request: Pick<HttpExchangeRequest, 'method' | 'path'>): string {
  const path = request.path.split('?')[0]!.split('/').map((seg) => (MINTED_ID.test(seg) ? ':id' : seg)).join('/');
  return `${request.method} ${path}`;
}

/**
 * The route a generated request was aimed at: the pattern of the binding's route or the target's read route
 * its path is a request to, generated segments as `:id` (`POST /api/agent-admin/v1/drafts/:id/approve`); a
 * path no route has is said as routeOf says it.
 */
export function routePatternOf(request: Pick<HttpExchangeRequest, 'method' | 'path'>, readPaths: readonly string[]): string {
  const pattern = routePattern(request.path, readPaths);
  return pattern === undefined ? routeOf(request) : `${request.method} ${pattern}`;
}

/** The reason code an OpenPort envelope carries (its `code`), or undefined for a body that is not one. */
export function envelopeCode(ex: Exchange): string | undefined {
  const j = ex.response.json as { code?: unknown } | undefined;
  return j !== null && typeof j === 'object' && typeof j.code === 'string' ? j.code : undefined;
}

/** What `ex` answered (its status and reason code) in the check's words, `pointer` naming where the body differs. */
export function observedAt(ex: Exchange | undefined, text: string, pointer?: string): Observation {
  const code = ex ? envelopeCode(ex) : undefined;
  return { ...(ex ? { status: ex.response.status } : {}), ...(code !== undefined ? { code } : {}), ...(pointer !== undefined ? { pointer } : {}), text };
}

/**
 * The target failed the requirement. `new Finding(message, expected, actual, exchange)` derives the observed
 * status, reason code and route from the exchange; `new Finding({ … })` states them (and may cite several
 * exchanges). `expected` and `actual` are the texts a report shows; `expectation` and `observation` the data.
 */
export class Finding extends Error {
  readonly expectation: Observation;
  readonly observation: Observation;
  readonly exchanges: readonly Exchange[];
  readonly route?: string;
  readonly replay?: string;
  readonly generated?: true;

  constructor(spec: FindingSpec);
  constructor(message: string, expected: string, actual: string, exchange?: Exchange, replay?: string);
  constructor(specOrMessage: FindingSpec | string, expected?: string, actual?: string, exchange?: Exchange, replay?: string) {
    const spec: FindingSpec =
      typeof specOrMessage === 'string' ? { message: specOrMessage, expected: expected!, actual: actual!, exchanges: exchange ? [exchange] : [], replay } : specOrMessage;
    const first = spec.exchanges?.[0];
    // A finding that rests on an MCP call is said in MCP's words: its label and any agent-plane request it
    // names, and (when the failing exchange is the MCP call) what was expected of that call.
    super(first?.mcp ? mcpWorded(spec.message, first.mcp) : spec.exchanges?.some((ex) => ex.mcp) ? mcpPhrases(spec.message) : spec.message);
    this.name = 'Finding';
    this.exchanges = spec.exchanges ?? [];
    const expectation = typeof spec.expected === 'string' ? { text: spec.expected } : spec.expected;
    this.expectation = first?.mcp ? { ...expectation, text: mcpExpectation(expectation.text) } : expectation;
    this.observation = typeof spec.actual === 'string' ? observedAt(first, spec.actual) : spec.actual;
    // An MCP call's route is its JSON-RPC method and tool: every one of them is a POST to the same endpoint.
    const route = spec.route ?? (first?.mcp ? `MCP ${first.mcp.rpc}${first.mcp.tool ? ` ${first.mcp.tool}` : ''}` : first ? routeOf(first.request) : undefined);
    if (route !== undefined) this.route = route;
    if (spec.replay !== undefined) this.replay = spec.replay;
    if (spec.generated) this.generated = true;
  }

  /** What the requirement calls for, as a report shows it. */
  get expected(): string {
    return this.expectation.text;
  }

  /** What the target did, as a report shows it. */
  get actual(): string {
    return this.observation.text;
  }

  /** The failing exchange (the first the finding rests on). */
  get exchange(): Exchange | undefined {
    return this.exchanges[0];
  }

  /**
   * The same finding in other words (a fuzz counterexample's, a regressed corpus case's): its data kept, but
   * for a route and generated mark the caller knows better.
   */
  restated(words: { message: string; actual: string; replay?: string } & Pick<FindingSpec, 'route' | 'generated'>): Finding {
    const replay = words.replay ?? this.replay;
    const route = words.route ?? this.route;
    const generated = words.generated ?? this.generated;
    return new Finding({
      message: words.message,
      expected: this.expectation,
      actual: { ...this.observation, text: words.actual },
      exchanges: this.exchanges,
      ...(route !== undefined ? { route } : {}),
      ...(replay !== undefined ? { replay } : {}),
      ...(generated ? { generated } : {}),
    });
  }
}

/**
 * An error's message on one line. A message that breaks a schema (the MCP SDK's validation of what a server
 * sent throws its issues as JSON) is said as "is not a valid MCP message" with its first issues' paths.
 */
export function oneLine(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const issues = (e as { issues?: unknown }).issues ?? (() => {
    try {
      return JSON.parse(e.message) as unknown;
    } catch {
      return undefined;
    }
  })();
  if (Array.isArray(issues) && issues.length > 0 && issues.every((i) => Array.isArray((i as { path?: unknown })?.path) && typeof (i as { message?: unknown }).message === 'string')) {
    const said = (issues as { path: unknown[]; message: string }[]).slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    return `is not a valid MCP message: ${said.join('; ')}${issues.length > 3 ? ` (and ${issues.length - 3} more)` : ''}`;
  }
  return e.message.replace(/\s*\n\s*/g, ' ');
}

/** The check cannot run in this configuration (missing admin headers, held back by safety, target lacks a tool). */
/**
 * What would make a skipped check run, in one grammar (the "Not run" lines are built from it): a flag to add
 * (`--target <file> with …`), another check whose outcome this one follows (`see AUTOEXEC-002`), or an
 * instruction that starts with its verb (`set target.writes.highRisk.witnessed`).
 */
export type RunHint = `--${string}` | `see ${string}` | `${'set' | 'declare' | 'give' | 'list' | 'use' | 'run' | 'rerun'} ${string}`;

export class Skip extends Error {
  constructor(message: string, readonly hint?: RunHint) {
    super(message);
    this.name = 'Skip';
  }
}

/** The check was blocked by something outside its subject (a 429 it did not provoke on purpose). */
export class Blocked extends Error {
  /** What would unblock it, when it is not what a rate limit asks for (waiting out the window). */
  constructor(message: string, readonly exchange?: Exchange, readonly hint?: string) {
    super(message);
    this.name = 'Blocked';
  }
}

/**
 * The tool itself could not do its job (bad config, unreachable target, admin plane refused provisioning).
 * The second argument is a stable code of src/kit/tool-errors.ts (its exit code follows), or only the exit
 * code: 2 is OPC_E_CONFIG, 3 OPC_E_SETUP.
 */
export class ToolError extends Error {
  readonly code: ToolErrorCode;
  readonly exitCode: 2 | 3;

  constructor(message: string, codeOrExit: ToolErrorCode | 2 | 3 = 3) {
    super(message);
    this.name = 'ToolError';
    this.code = typeof codeOrExit === 'string' ? codeOrExit : codeOrExit === 2 ? 'OPC_E_CONFIG' : 'OPC_E_SETUP';
    this.exitCode = TOOL_ERRORS[this.code].exit;
  }
}
