/**
 * The runtime's decision points ("hooks"), each named by the protocol decision it makes, with its correct
 * implementation as the default. A fault (src/runtime/faults) or a legitimate variant (src/runtime/variants)
 * overrides one or two of them; createRuntime composes the active ones over the defaults once, so the request
 * path only calls a hook and never asks which faults or variants are on.
 *
 * An override receives the implementation below it (`next`: the default, or the layers composed so far) and
 * returns the replacement: it wraps `next` to change part of a decision, or ignores it to replace it whole.
 * Layers compose in registry order, variants first, faults last (a fault has the final word, as before).
 * Hooks documented "read once" are called at creation and their answer kept.
 */
import { timingSafeEqual } from 'node:crypto';
import { statusFor, type ReasonCode } from '../protocol/codes.js';
import { impactHash, sha256Hex, witnessHash } from '../protocol/hash.js';
import { deletesByName, mustBeDestructive } from '../protocol/mcp-binding.js';
import type { AuditEvent, Draft, DraftStatus, Execution, ToolDescriptor, ValidationIssue } from '../protocol/types.js';
import type { Admission, FixedWindowLimiter } from './admission.js';
import { limitParam } from './admin.js';
import { visibleTools } from './agent.js';
import type { AuditLog } from './audit.js';
import { recordAgentEvent, type AgentCtx, type AgentEvent, type Subject } from './core.js';
import type { DomainAction, DomainRead } from './domain.js';
import { ApiError, issue, validationError, type Json } from './errors.js';
import { ipMatches, type DataPolicy, type NormalizedAutoExecute, type WritesWindow } from './policy.js';
import { actorOf, type AppRec, type IdemRec, type KeyRec, type PreflightRec, type Store } from './store.js';
import type { RuntimeRequest } from './types.js';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** The error envelope before serialisation; an override may change its fields. */
export interface ErrorReply {
  status: number;
  body: { ok: false; code: ReasonCode; message: string; details?: Record<string, unknown> };
  headers: Record<string, string>;
}

/** What a preflightId brings into an action request that does not state its own hashes. */
export interface PreflightBinding {
  readonly impactHash: string | null;
  readonly witnessHash: string | null;
}

/** An idempotency key's lookup: run the request, replay the key's execution, or refuse the re-use. */
export type IdempotencyDecision = 'proceed' | 'replay' | 'mismatch';

/** What GET /audit lists: one app's events or all, the newest `limit`. */
export type AuditFilter = { appId?: string; limit: number };

/** A write request's path: stay a draft, pass the auto-execute gates, or run with no gate at all. */
export type ExecutionMode = 'draft' | 'gated' | 'immediate';

/** The moments the State Witness can be recomputed and compared. */
export type WitnessMoment = 'create' | 'auto-execute' | 'approve';

/** Where a request meets a resource of another tenant. */
export type TenantCheckpoint = 'read' | 'preflight' | 'write';

export type ReviewDecision = 'approve' | 'reject';

/** The tool of a draft under review: its name, risk and whether it is State-Witnessed. */
export interface ReviewedTool {
  readonly name: string;
  readonly risk: ToolDescriptor['risk'];
  readonly witnessed: boolean;
}

/** One auto-execute gate of brief section 7, named by what it looks at; `refuse` is its autoExecuteDeniedCode or null. */
export interface AutoExecuteGate {
  readonly name: 'enabled' | 'expires_at' | 'allowed_actions' | 'justification' | 'idempotencyKey' | 'preflightHash' | 'preflight-match';
  refuse(): ReasonCode | null;
}
/** Where a write's scopes are checked before it is drafted. */
export type WriteScopeCheckpoint = 'preflight' | 'actions';

/** An admin-plane change as the audit trail records it. */
export interface AdminEvent {
  readonly app: AppRec;
  readonly key: KeyRec | null;
  readonly actor: string | null;
  /** The admin who made the change. */
  readonly admin: string;
  readonly action: string;
  readonly details: Json;
}

export interface Hooks {
  // Envelope and transport
  /** Content-Type of every JSON response (read once). */
  contentType(): string;
  /** Status, body and headers of a refusal. */
  errorEnvelope(err: ApiError): ErrorReply;
  /** The JSON value of a non-empty request body; malformed JSON is 400 common.validation. */
  parseJson(text: string): unknown;
  /** An error no handler expected: returning contains it (500 common.internal_error); throwing lets it reach the adapter. */
  unexpectedError(err: unknown): void;
  /** The refusal of a known path called with a method it does not support (`allow`: the methods it does). */
  wrongMethod(allow: string): ApiError;
  /** HTTP status of an admin route that creates something (read once). */
  createdStatus(): number;
  /**
   * Whether a route of the binding's route table is served (`route`: "GET /manifest", "POST /apps/:id/keys",
   * "GET /healthz"; `read`: the domain read a read route runs). An unserved route is answered like an unknown path.
   */
  serves(plane: 'agent' | 'admin' | 'health', route: string, read?: DomainRead): boolean;
  /** The envelope of a success reply on `plane` as sent ({ok: true, code: "common.success", data} by default). */
  successEnvelope(plane: 'agent' | 'admin' | 'health', body: { ok: true; code: 'common.success'; data: Json }): Record<string, unknown>;
  /** The parsed body of a request as its handler reads it (`route`: "POST /preflight", "POST /apps/:id/keys"); as sent by default. */
  requestBody(route: string, body: Json): Json;
  /** HTTP status of an agent-plane success reply: 200, an auto-execute refusal's included (brief section 4). */
  agentReplyStatus(route: string, data: Json): number;

  // Authentication (brief section 6, steps 1-6)
  /** A token presented outside the Authorization header, when that header is absent; none by default. */
  credentialFromQuery(query: URLSearchParams): string | null;
  /** The key a token hash names, as stored now (revocation is effective on the very next request). */
  lookupKey(tokenHash: string): KeyRec | undefined;
  /** Whether `key` has expired, asked while `req` (as received, its body not parsed yet) is authenticated. */
  keyExpired(key: KeyRec, req: RuntimeRequest): boolean;
  /**
   * Whether revoking an app reaches its keys: each key is revoked with it (asked without `key`), and step 4
   * refuses `key` of an app that is not active (asked with it).
   */
  appRevocationRevokesKeys(key?: KeyRec): boolean;
  /** The client address the network policy (allowed_ips) judges. */
  clientIp(req: RuntimeRequest): string;
  /** Whether an address matches an allowed_ips list (exact IPs and IPv4 CIDRs). */
  ipAllowed(ip: string, entries: readonly string[]): boolean;
  /** The tenant a request acts in: its app's, never client input. */
  requestTenant(app: AppRec, req: RuntimeRequest, query: URLSearchParams): string;
  /**
   * Authenticates an admin-plane request and returns who it is attributed to in audit events and records:
   * the identity the admin credential proves, never a header the caller chooses freely (the admin bearer
   * proves one operator, "admin"). Throws the refusal.
   */
  adminAuthenticate(req: RuntimeRequest): string;
  /** The headers an admin client sends (read once; `adminToken` is the runtime's admin bearer). */
  adminHeaders(adminToken: string): Record<string, string>;
  /** The token an Authorization header carries: `Bearer <token>`, the scheme in any case (null: malformed, 401). */
  bearerToken(authorization: string): string | null;
  /** The refusal of an agent request that presents no token at all (step 1). */
  missingToken(): ApiError;
  /** The user an app acts as (step 5): a workspace app's service user, a personal app's user (null: none, 403). */
  actor(app: AppRec): string | null;
  /** Whether an agent request's body is parsed, and refused when malformed, before its token is checked (read once). */
  parsesBodyBeforeAuthentication(): boolean;

  // Admission control (brief section 9)
  /**
   * Counts a request of (key, client IP) against its window. `route` is the method and pattern called
   * ("GET /manifest"), and `requestId` the request's X-Request-Id (null without one): a limit per key and client IP
   * looks at neither.
   */
  admit(keyId: string, ip: string, route?: string, requestId?: string | null): Admission;
  /** Recovery headers of a 429. */
  rateLimitHeaders(a: Admission): Record<string, string>;
  /** Whether admission control runs after the handler instead of before it (read once). */
  admissionAfterHandler(): boolean;

  // Audit (brief section 10)
  /** Emits an agent-plane audit event. */
  auditEvent(s: Subject, e: AgentEvent): void;
  /** Emits the audit event of an admin-plane change (`action`: agent_app.create, agent_key.revoke, …). */
  adminAuditEvent(e: AdminEvent): void;

  // Discovery and authorization
  /** The domain's tools as this server declares them: a server maps tools to scopes its own way (read once). */
  toolMap(tools: readonly ToolDescriptor[]): readonly ToolDescriptor[];
  /** The tools a manifest lists for an app's scopes (from every tool of the domain). */
  manifestTools(tools: readonly ToolDescriptor[], scopes: readonly string[]): ToolDescriptor[];
  /** The scopes a call of `tool` must hold (`read`: the read route called, for reads; `query`: that read's query). */
  requiredScopes(tool: ToolDescriptor, read?: DomainRead, query?: URLSearchParams): readonly string[];
  /** The refusal (audited with `details`) of a write tool the key lacks scopes for. */
  scopeRefusal(action: string): { code: ReasonCode; message: string; details: Json };
  /** The refusal of a preflight or action naming a tool the domain does not have. */
  unknownAction(name: string): ApiError;
  /** Whether a write's required scopes are checked at `at` (its preflight, or the actions request that drafts it). */
  checksWriteScopes(at: WriteScopeCheckpoint): boolean;

  // Tenant boundary and data policy
  /** The refusal of a resource outside the request's tenant, or null to let it through (`tool`: the read or write called). */
  crossTenant(at: TenantCheckpoint, tool?: string): ApiError | null;
  /** The data policy's container allow-list (null: any container) where a request of `tool` meets it (`at`). */
  allowedContainers(data: DataPolicy, at?: TenantCheckpoint, tool?: string): readonly string[] | null;
  /**
   * The data policy's max_days (null: unbounded) where a date range is read: a windowed read (`query`: its query),
   * or a write's payload at its preflight or action.
   */
  maxDays(data: DataPolicy, at?: 'read' | 'preflight' | 'actions', query?: URLSearchParams): number | null;
  /**
   * Field → replacement applied to rows under allow_sensitive_fields:false, from the domain's own map (`page`: the
   * page of a paged read being answered; `dated`: whether that read names a bound of its date window).
   */
  redactions(domain: Readonly<Record<string, unknown>>, page?: number, dated?: boolean): Readonly<Record<string, unknown>>;
  /** Page size of a paged read that names none (read once). */
  defaultPageSize(): number;
  /** The largest pageSize a paged read takes (§3: pageSize ≤ 200); a larger one is a validation failure. */
  maxPageSize(): number;
  /** The data policy's org allow-list (null: any org) where a request meets it (`at`). */
  allowedOrgs(data: DataPolicy, at?: TenantCheckpoint): readonly string[] | null;
  /** The refusal of a read window whose start is after its end (null: let the read through). */
  invertedWindow(startParam: string, endParam: string): ApiError | null;
  /** The refusal of a read naming a container (the domain's `noun`) that does not exist (null: read it, as an empty one). */
  missingContainer(noun: string): ApiError | null;

  // Writes: preflight, drafts, auto-execute gates, idempotency, review
  /** Validation issues of a write payload (paths start at "payload"). */
  payloadIssues(act: DomainAction, payload: Json): ValidationIssue[];
  /** The refusal of a malformed POST /actions request. */
  invalidActionRequest(issues: ValidationIssue[], s: Subject): ApiError;
  /** The refusal of a read whose query string is malformed (a paging or date parameter, a missing container). */
  invalidReadQuery(issues: ValidationIssue[]): ApiError;
  /** The impact an action reports and hashes, from the domain's (§7: for a delete, the target row's current fields). */
  actionImpact(action: string, impact: unknown): unknown;
  /** How many rows an export may deliver (§7: the high_risk tier's max_export_rows). */
  maxExportRows(cfg: NormalizedAutoExecute): number;
  /** hex SHA-256 of JCS({action, payload, impact}). */
  impactHash(action: string, payload: unknown, impact: unknown): string;
  /** hex SHA-256 of JCS(stateWitness). */
  witnessHash(witness: unknown): string;
  /** Whether a preflight is still within its lifetime (brief section 2: short-lived, 10 min) at `nowMs`. */
  preflightLive(pre: PreflightRec, nowMs: number): boolean;
  /** Whether a live preflight is bound to the requesting app, key and actor. */
  preflightBound(pre: PreflightRec, ctx: AgentCtx): boolean;
  /** The impact and witness hashes a preflightId stands in for. */
  preflightBinding(pre: PreflightRec): PreflightBinding;
  /** Whether a preflightId stays usable after a request drafted from it (read once). */
  preflightReusable(): boolean;
  /** The lookup of an idempotency key's prior record (undefined: unused key) for a request fingerprint. */
  idempotency(prior: IdemRec | undefined, fingerprint: string, tool?: ToolDescriptor): IdempotencyDecision;
  /** What runs between a 'proceed' lookup and the key's reservation: nothing by default (they are atomic). */
  idempotencyReservationGap(): Promise<void> | undefined;
  /** The review_path a draft reply points its reviewer to (null: none). */
  reviewPath(): string | null;
  /** The path of a write request from its execute and forceDraft flags (`body`: the request as sent, which decides nothing). */
  executionMode(execute: boolean, forceDraft: boolean, body?: Json): ExecutionMode;
  /** The auto-execute window that governs `tool`. */
  autoExecuteWindow(cfg: NormalizedAutoExecute, tool: ToolDescriptor): WritesWindow | undefined;
  windowExpired(window: WritesWindow): boolean;
  windowAllows(window: WritesWindow, tool: ToolDescriptor): boolean;
  /** Whether a high-risk auto-execute needs a preflightHash. */
  preflightRequired(cfg: NormalizedAutoExecute): boolean;
  preflightHashMatches(supplied: string, recomputed: string): boolean;
  /**
   * The auto-execute gate on the draft's State Witness (`bound` against `current`): by default none, the
   * execution recomputes the witness and fails closed with 409.
   */
  autoExecuteWitness(bound: string | null, current: string | null): ReasonCode | null;
  /**
   * Whether the State Witness is recomputed and compared at this moment. `draft`: at approval, the draft approved as
   * stored, which decides nothing (every draft's witness is compared alike).
   */
  revalidatesWitness(at: WitnessMoment, tool?: string, draft?: Draft): boolean;
  /** The status a draft takes when its execution is refused on a stale witness (null: unchanged). */
  draftStatusOnStaleWitness(): DraftStatus | null;
  /** The preflight_hash a new draft stores (`requested`: the request's or its preflightId's, if any). */
  draftPreflightHash(requested: string | null, recomputed: string, tool: ToolDescriptor): string | null;
  /**
   * Whether a draft of `tool` in `status` is still open to this review decision (draft finality). `draft`: the
   * draft under review as stored, which decides nothing (its status alone does).
   */
  reviewable(status: DraftStatus, decision: ReviewDecision, tool?: string, draft?: Draft): boolean;
  /**
   * What a review decision runs: `execute(skipWitness)` runs the draft once; `skipWitness` is what the approval
   * decided about the witness; `tool` is the draft's tool as the runtime knows it. Approval returns its
   * execution; rejection runs nothing (null).
   */
  reviewExecution(decision: ReviewDecision, execute: (skipWitness: boolean) => Execution, skipWitness: boolean, tool: ReviewedTool): Execution | null;
  /** The data of a successful rejection. */
  rejectReply(draft: Draft): Json;
  /** Whether an agent's app may read a draft. */
  draftVisible(draft: Draft, app: AppRec): boolean;
  /** The auto-execute gates `tool` passes through, in the order they are tried (the brief's order by default). */
  autoExecuteGates(gates: readonly AutoExecuteGate[], tool: ToolDescriptor): readonly AutoExecuteGate[];
  /** The status a draft takes when its execution fails (an execution error): failed. */
  draftStatusOnExecutionError(): DraftStatus;
  /** The refusal of a preflightId that names no preflight at all. */
  unknownPreflight(): ApiError;
  /** What an idempotencyKey is scoped to: its app (brief section 7), whichever key of the app sends it. */
  idempotencyScope(app: AppRec, key: KeyRec): string;
  /** The payload a request naming a preflightId drafts: the preflighted one, exactly. */
  preflightPayload(pre: PreflightRec): Json;
  /**
   * The impact hash an execute request's preflightHash is compared with: `recompute()` computes it now from the
   * submitted payload (brief section 7), which the default does.
   */
  recomputedImpactHash(action: string, payload: Json, recompute: () => string): string;
  /** The body member of POST /actions that carries the idempotency key: idempotencyKey (a body field in this binding). */
  idempotencyKeyField(): string;
  /** The idempotency key a new draft carries (`executes`: whether the request runs it at once rather than leaving it for review). */
  draftIdempotencyKey(key: string | null, executes: boolean): string | null;
  /** The error an execution records and answers when its tool fails (a sanitised adapter failure, brief section 5). */
  executionError(error: { code: ReasonCode; message: string }): { code: ReasonCode; message: string };
  /** Whether a preflightId's binding to app, key and actor is checked only once its draft is stored; before, by default. */
  preflightBindingAfterDraft(): boolean;
  /**
   * The State Witness hash a new draft binds, which its execution is judged against (null: none, so nothing is
   * compared): the request's stateWitnessHash, else its preflightId's, else the one computed now (brief section 8).
   */
  draftWitness(requested: string | null, preflighted: string | null, current: string | null): string | null;

  // Admin plane
  /** Whether POST /apps/{id}/keys issues a key for this app. */
  keyIssuable(app: AppRec): boolean;
  /**
   * What the admin plane refuses in an expiry it is given: a key's expiresAt, or a window's expires_at
   * (`windowEnabled`: that window's `enabled`). Nothing by default: a past expiry is how an expired key is made.
   */
  expiryIssues(expiresAt: unknown, path: (string | number)[], windowEnabled?: unknown): ValidationIssue[];
  /** allowed_actions of an auto-execute window set without one (null: any action). */
  absentAllowedActions(): string[] | null;
  /**
   * require_preflight / require_idempotency of a high_risk window set without it: true (brief section 7's defaults).
   * `given`: the window's fields as set, which decide nothing (a default holds whatever else the window names).
   */
  absentRequirement(field: 'require_preflight' | 'require_idempotency', given?: Readonly<Record<string, unknown>>): boolean;
  /** The filter GET /drafts applies from its query (a status it names is validated before). */
  draftsQuery(query: URLSearchParams): { appId: string | null; status: string | null };
  /** The filter GET /audit applies from its query. */
  auditQuery(query: URLSearchParams): AuditFilter;
  /** The data GET /audit answers for `filter` (auditQuery's): the events `list` gives, newest first, in one page. */
  auditListing(query: URLSearchParams, filter: AuditFilter, list: (filter: AuditFilter) => AuditEvent[]): Json;
  /**
   * The auto-execute configuration the runtime's bootstrap app is deployed with (read once): nothing enabled.
   * The release gate's deployment scan judges it with every other app's.
   */
  bootstrapAutoExecute(tools: readonly ToolDescriptor[]): NormalizedAutoExecute;
  /**
   * The id of a new record of the protocol (an app, key, preflight, draft, execution or audit event) whose
   * kind is `prefix`: by default `minted`, the prefix and 16 random hex digits. Domain rows keep the runtime's.
   */
  recordId(prefix: string, minted: string): string;
  /**
   * The files the runtime's release ships beside its code, path → text (read once): what the release gate's
   * tree scan judges, as its deployment scan judges the bootstrap app. A README and an example configuration
   * whose credentials are placeholders.
   */
  releaseFiles(): Readonly<Record<string, string>>;

  // The shape of a success reply
  /**
   * The `data` member of a success reply of `route` ("GET /manifest", "POST /apps/:id/keys", …) on `plane`,
   * as sent. The default sends what the handler built; a fault may drop, rename or alter a member.
   */
  replyData(plane: 'agent' | 'admin', route: string, data: Json): Json;

  // The MCP front (src/runtime/mcp.ts, docs/mcp-binding.md)
  /** A tool's MCP annotations (D4): from its kind and risk; undefined sends none. */
  mcpAnnotations(tool: ToolDescriptor, write: boolean): McpAnnotations | undefined;
  /** The Authorization header value an MCP HTTP request authenticates with: that header alone (T3). */
  mcpCredential(authorization: string | undefined, query: URLSearchParams): string | undefined;
  /** The `WWW-Authenticate` challenge a 401 of the MCP endpoint carries (T3); undefined sends none. */
  mcpChallenge(challenge: string): string | undefined;
  /** Whether a session opened by the token of hash `owner` serves a request made with the token of hash `presented` (T4). */
  mcpSessionServes(owner: string, presented: string): boolean;
  /** Where a tool-level refusal of reason `code` travels (E1): an `isError` result, or (wrongly) a JSON-RPC error. */
  mcpRefusalCarrier(code: string): 'result' | 'error';
  /** Whether a refusal's text lists its validation issues, one line each (E1: the model reads the text, not structuredContent). */
  mcpRefusalTextIssues(): boolean;
  /** Whether an MCP request's Host header names this (loopback) server (T5). */
  mcpHostAllowed(host: string | undefined): boolean;
  /** Whether an MCP request's Origin header is acceptable (T6): absent, or a loopback origin. */
  mcpOriginAllowed(origin: string | undefined): boolean;
  /** The action a `tools/call` of `tool` runs (R2): the tool's name; an `arguments.action` naming another is refused. */
  mcpCallAction(tool: string, argumentsAction: unknown): string | ApiError;
  /**
   * The refusal the front itself gives a call of a tool absent from the caller's `tools/list`, instead of
   * routing it to the core (R3). The default gives none: the call is routed as over HTTP, so the core refuses
   * it with its own code (agent.scope_denied) and audits it; only a front that routes by the key's manifest
   * (a fault) answers here, and only then does the front read that manifest.
   */
  mcpUnlistedToolRefusal(tool: string): ApiError | undefined;
  /**
   * Room for a new session of key `keyId` of tenant `orgId` (T7), given the sessions the endpoint holds (oldest
   * first): admitted as is, admitted once the session `evict` is closed, or refused (HTTP 429). The default
   * keeps every quota per key and tenant and evicts only the key's own oldest idle session: a request of one
   * key never closes another key's session.
   */
  mcpSessionRoom(held: readonly McpHeldSession[], keyId: string, orgId: string, quotas: McpSessionQuotas): { admit: true; evict?: string } | { admit: false };
  /**
   * How many messages of one HTTP request to the MCP endpoint the front counts against the key's rate limit
   * itself (E3): every message the core does not serve (initialize, notifications, pings; a GET stream or a
   * DELETE is one). The core counts its own (tools/list, tools/call, resources/read).
   */
  mcpFrontMessages(method: string, body: unknown): number;
  /** How the MCP endpoint answers a body that is not JSON (E2): HTTP 400 with JSON-RPC's parse error, -32700. */
  mcpUnparsableBody(): { status: number; code: number };
  /** The JSON-RPC error code of params a request's schema rejects (E2): -32602, invalid params. */
  mcpInvalidParamsCode(): number;
  /** The JSON-RPC error code of a tools/call naming no tool of the server (R2): MCP's unknown-tool error, -32602. */
  mcpUnknownToolCode(): number;
  /** `error.message` of a protocol-level refusal (E2) carrying the OpenPort `message`: that message as is. */
  mcpRefusalMessage(code: number, message: string): string;
  /** How the MCP endpoint answers a body over the server's cap (E2): a JSON-RPC error (-32600, HTTP 413), or (wrongly) the HTTP envelope. */
  mcpOversizeCarrier(): 'json-rpc' | 'envelope';
}

/** A session the MCP front holds (T7): whose it is, and whether a request of it is being served. */
export interface McpHeldSession { id: string; keyId: string; orgId: string; idle: boolean }
/** The MCP endpoint's session quotas (T7): per key, per tenant, and for the endpoint in all. */
export interface McpSessionQuotas { perKey: number; perTenant: number; total: number }
/** JSON-RPC methods of the MCP binding that reach the core, which counts them as the HTTP requests they map to. */
const CORE_MCP_METHODS = new Set(['tools/list', 'tools/call', 'resources/read']);

/** MCP's tool annotations (ToolAnnotations of the MCP schema). */
export interface McpAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export { deletesByName };

/** A host name (of a Host header or an origin's host) that names loopback. */
export function loopbackHost(host: string): boolean {
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/** What defaults and overrides may use of the runtime they are composed into. */
export interface HookEnv {
  readonly store: Store;
  readonly audit: AuditLog;
  readonly limiter: FixedWindowLimiter;
  /** SHA-256 of "Bearer <admin token>". */
  readonly adminTokenHash: Buffer;
  now(): number;
  /** The clock rate-limit windows (and a client's waits, in-process) run on. */
  windowNow(): number;
  /** The domain's tools as it declares them, in order. */
  readonly tools: readonly ToolDescriptor[];
}

export type HookOverride<K extends keyof Hooks> = (next: Hooks[K], env: HookEnv) => Hooks[K];
export type HookOverrides = { readonly [K in keyof Hooks]?: HookOverride<K> };

/** A header's first value (a repeated header arrives as a string[]). */
export function header(req: RuntimeRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function defaultHooks(env: HookEnv): Hooks {
  return {
    contentType: () => JSON_TYPE,
    errorEnvelope: (err) => ({
      status: err.status ?? statusFor(err.code),
      body: { ok: false, code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) },
      headers: err.headers,
    }),
    parseJson(text) {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw validationError([issue([], 'Malformed JSON body', 'invalid_json')]);
      }
    },
    unexpectedError: () => undefined,
    wrongMethod: (allow) => new ApiError('agent.not_found', 'Method not allowed', undefined, { allow }, 405),
    createdStatus: () => 200,
    serves: () => true,
    successEnvelope: (_plane, body) => body,
    requestBody: (_route, body) => body,
    agentReplyStatus: () => 200,

    credentialFromQuery: () => null,
    lookupKey(tokenHash) {
      const id = env.store.keyByHash.get(tokenHash);
      return id === undefined ? undefined : env.store.keys.get(id);
    },
    keyExpired: (key) => key.expires_at !== null && Date.parse(key.expires_at) <= env.now(),
    appRevocationRevokesKeys: () => true,
    clientIp: (req) => req.clientIp,
    ipAllowed: (ip, entries) => ipMatches(ip, entries),
    requestTenant: (app) => app.org_id,
    adminAuthenticate(req) {
      const auth = header(req, 'authorization');
      if (auth === undefined) throw new ApiError('agent.token_invalid', 'Missing admin token');
      // The scheme name is case-insensitive (RFC 9110 §11.1): hash the credential in its canonical form.
      const token = /^bearer +(\S+) *$/i.exec(auth)?.[1];
      if (token === undefined || !timingSafeEqual(Buffer.from(sha256Hex(`Bearer ${token}`), 'hex'), env.adminTokenHash)) {
        throw new ApiError('agent.token_invalid', 'Invalid admin token');
      }
      return 'admin';
    },
    adminHeaders: (adminToken) => ({ authorization: `Bearer ${adminToken}` }),
    bearerToken: (authorization) => /^Bearer +(\S+) *$/i.exec(authorization)?.[1] ?? null,
    missingToken: () => new ApiError('agent.token_invalid', 'Missing agent token'),
    actor: actorOf,
    parsesBodyBeforeAuthentication: () => false,

    admit: (keyId, ip) => env.limiter.admit(keyId, ip),
    rateLimitHeaders: (a) => env.limiter.headers(a),
    admissionAfterHandler: () => false,

    auditEvent: (s, e) => recordAgentEvent(env.audit, s, e),
    adminAuditEvent: (e) => env.audit.record({
      app_id: e.app.id, key_id: e.key?.id ?? null, actor_user_id: e.actor, performed_by_user_id: e.admin, action: e.action, status: 'success', details: e.details,
    }),

    toolMap: (tools) => tools,
    manifestTools: visibleTools,
    requiredScopes: (tool) => tool.requiredScopes,
    scopeRefusal: (action) => ({ code: 'agent.scope_denied', message: 'Insufficient permissions', details: { actionType: action } }),
    unknownAction: () => new ApiError('agent.action_unknown', 'Unknown action'),
    checksWriteScopes: () => true,

    crossTenant: () => new ApiError('agent.policy_denied', 'Resource is outside this app\'s tenant'),
    allowedContainers: (data) => data.allowedContainerIds,
    maxDays: (data) => data.maxDays,
    redactions: (domain) => domain,
    defaultPageSize: () => 50,
    maxPageSize: () => 200,
    allowedOrgs: (data) => data.allowedOrgIds,
    invertedWindow: (startParam, endParam) => new ApiError('agent.action_invalid', `${startParam} is after ${endParam}`),
    missingContainer: (noun) => new ApiError('agent.not_found', `${noun} not found`),

    actionImpact: (_action, impact) => impact,
    maxExportRows: (cfg) => cfg.high_risk?.max_export_rows ?? 1000,
    payloadIssues: (act, payload) => act.validate(payload).map((i) => ({ ...i, path: ['payload', ...i.path] })),
    invalidActionRequest: (issues) => validationError(issues),
    invalidReadQuery: (issues) => validationError(issues),
    impactHash,
    witnessHash,
    preflightLive: (pre, nowMs) => pre.expiresAt > nowMs,
    preflightBound: (pre, ctx) => pre.appId === ctx.app.id && pre.keyId === ctx.key.id && pre.actor === ctx.actor,
    preflightBinding: (pre) => pre,
    preflightReusable: () => true,
    idempotency(prior, fingerprint) {
      if (prior === undefined) return 'proceed';
      if (prior.fingerprint !== fingerprint) return 'mismatch';
      return prior.execution ? 'replay' : 'proceed';
    },
    idempotencyReservationGap: () => undefined,
    reviewPath: () => '/agent-admin/v1/drafts',
    executionMode: (execute, forceDraft) => (execute && !forceDraft ? 'gated' : 'draft'),
    autoExecuteWindow: (cfg, tool) => (tool.risk === 'high' ? cfg.high_risk : cfg.writes),
    windowExpired: (w) => w.expires_at !== null && Date.parse(w.expires_at) <= env.now(),
    windowAllows: (w, tool) => w.allowed_actions === null || w.allowed_actions.includes(tool.name),
    preflightRequired: (cfg) => cfg.high_risk?.require_preflight ?? true,
    preflightHashMatches: (supplied, recomputed) => supplied === recomputed,
    autoExecuteWitness: () => null,
    revalidatesWitness: () => true,
    draftStatusOnStaleWitness: () => 'failed',
    draftPreflightHash: (_requested, recomputed) => recomputed,
    reviewable: (status) => status === 'draft',
    reviewExecution: (decision, execute, skipWitness) => (decision === 'approve' ? execute(skipWitness) : null),
    rejectReply: () => ({ draftStatus: 'canceled' }),
    draftVisible: (draft, app) => draft.app_id === app.id,
    autoExecuteGates: (gates) => gates,
    draftStatusOnExecutionError: () => 'failed',
    unknownPreflight: () => new ApiError('agent.preflight_not_found', 'Preflight not found or expired'),
    idempotencyScope: (app) => app.id,
    preflightPayload: (pre) => pre.payload,
    recomputedImpactHash: (_action, _payload, recompute) => recompute(),
    idempotencyKeyField: () => 'idempotencyKey',
    draftIdempotencyKey: (key) => key,
    executionError: (error) => error,
    preflightBindingAfterDraft: () => false,
    draftWitness: (requested, preflighted, current) => requested ?? preflighted ?? current,

    keyIssuable: (app) => app.status === 'active',
    expiryIssues: () => [],
    absentAllowedActions: () => null,
    absentRequirement: () => true,
    draftsQuery: (query) => ({ appId: query.get('appId'), status: query.get('status') }),
    auditQuery: (query) => ({ appId: query.get('appId') ?? undefined, limit: limitParam(query) }),
    auditListing: (_query, filter, list) => ({ items: list(filter) }),
    bootstrapAutoExecute: () => ({}),
    recordId: (_prefix, minted) => minted,
    releaseFiles: () => ({
      'README.md': '# OpenPort reference runtime\n\nStart it with `openport-conform serve`; point agents at its agent plane with their own key.\n',
      'openport.example.yaml': 'url: http://127.0.0.1:8787\nadminHeader: "x-admin-user: <admin user id>"\ntoken: ${OPENPORT_AGENT_TOKEN}\n',
    }),
    replyData: (_plane, _route, data) => data,

    // A high-risk write is destructive whatever its name, a delete whatever its risk; no write is read-only.
    mcpAnnotations: (tool, write) => ({ readOnlyHint: !write, destructiveHint: mustBeDestructive(write, tool.risk, tool.name), idempotentHint: !write, openWorldHint: false }),
    mcpCredential: (authorization) => authorization,
    mcpChallenge: (challenge) => challenge,
    mcpSessionServes: (owner, presented) => owner === presented,
    mcpRefusalCarrier: () => 'result',
    mcpRefusalTextIssues: () => true,
    mcpHostAllowed: (host) => host !== undefined && loopbackHost(host),
    mcpOriginAllowed(origin) {
      if (origin === undefined) return true;
      try {
        return loopbackHost(new URL(origin).host);
      } catch {
        return false;
      }
    },
    mcpCallAction: (tool, argumentsAction) =>
      argumentsAction === undefined || argumentsAction === tool
        ? tool
        : new ApiError('agent.action_invalid', `arguments.action (${JSON.stringify(argumentsAction).slice(0, 80)}) names another action than the tool called (${tool}): the tool name is the action`),
    mcpUnlistedToolRefusal: () => undefined,
    mcpSessionRoom(held, keyId, orgId, quotas) {
      const ofKey = held.filter((s) => s.keyId === keyId).length;
      const ofTenant = held.filter((s) => s.orgId === orgId).length;
      if (ofKey < quotas.perKey && ofTenant < quotas.perTenant && held.length < quotas.total) return { admit: true };
      const own = held.find((s) => s.keyId === keyId && s.idle);
      return own ? { admit: true, evict: own.id } : { admit: false };
    },
    mcpFrontMessages(method, body) {
      if (method !== 'POST') return 1;
      const msgs = Array.isArray(body) ? body : [body];
      return msgs.filter((m) => !CORE_MCP_METHODS.has(String((m as { method?: unknown } | null)?.method))).length;
    },
    mcpUnparsableBody: () => ({ status: 400, code: -32700 }),
    mcpInvalidParamsCode: () => -32602,
    mcpUnknownToolCode: () => -32602,
    mcpRefusalMessage: (_code, message) => message,
    mcpOversizeCarrier: () => 'json-rpc',
  };
}

function applyOverride<K extends keyof Hooks>(hooks: Hooks, name: K, override: HookOverride<K>, env: HookEnv): void {
  hooks[name] = override(hooks[name], env);
}

/** The hook table of one runtime: the defaults with `layers` composed over them in order. */
export function composeHooks(env: HookEnv, layers: readonly HookOverrides[]): Hooks {
  const hooks = defaultHooks(env);
  for (const layer of layers) {
    for (const name of Object.keys(layer) as (keyof Hooks)[]) applyOverride(hooks, name, layer[name] as HookOverride<typeof name>, env);
  }
  return hooks;
}
