/**
 * The reference runtime as a pure request handler: routing, authentication (brief section 6, in order),
 * admission control, body parsing, and the mapping of refusals to envelopes. Never throws for client input.
 */
import { sha256Hex } from '../protocol/hash.js';
import { ADMIN_BASE, AGENT_BASE } from '../protocol/types.js';
import type { Runtime, RuntimeOptions, RuntimeRequest, RuntimeResponse } from './types.js';
import { ADMIN_ROUTES } from './admin.js';
import { createApp } from './admin.js';
import { manifest, runRead, stableBodies } from './agent.js';
import type { DomainRead } from './domain.js';
import { AUDIT_EVENTS_HELD, AuditLog } from './audit.js';
import { FixedWindowLimiter } from './admission.js';
import { auditAgent, auditStatusFor, type AgentCtx, type Core, type Subject } from './core.js';
import { DEFAULT_DOMAIN, DOMAIN_NAMES, DOMAINS, isDomainName } from './domains.js';
import { ApiError, audited, depthExceeds, isObject, issue, validationError, type Json } from './errors.js';
import { composeHooks, header, JSON_TYPE, type Hooks } from './hooks.js';
import { createIdSource, type IdSource } from './ids.js';
import { normalizeIp } from './policy.js';
import { DEFAULT_STORE_LIMITS, Store } from './store.js';
import { NOTHING_SELECTED } from './name-set.js';
import { agentDraft, postAction, preflight } from './writes.js';

const TOKEN_RE = /^op_[A-Za-z0-9_-]{16,128}$/;
/** Deeper bodies are refused as invalid: no legitimate payload needs it, and deep input must stay cheap. */
const MAX_DEPTH = 64;
const TOKEN_HASH_CACHE = 1024;
/** Longest Authorization header whose token hash is cached: a scheme and a token of TOKEN_RE's longest, with room. */
const HEADER_HASH_MAX_LENGTH = 256;
const AGENT_PREFIX = `${AGENT_BASE}/`;
const ADMIN_PREFIX = `${ADMIN_BASE}/`;
const HEALTH_ROUTES = [{ pattern: '/healthz', method: 'GET' }];
/** What a refused MCP session is audited as (src/runtime/mcp.ts admits sessions through Runtime.authenticate). */
const MCP_SESSION_ROUTE: AgentRoute = { pattern: '/mcp', method: 'POST', key: 'POST /mcp', audit: 'agent.mcp.session', read: true, body: false, run: () => ({}) };

interface AgentRoute {
  pattern: string;
  method: string;
  /** "METHOD pattern", as the hooks name a route: built once, not per request. */
  key: string;
  audit: string;
  read: boolean;
  body: boolean;
  /** The domain read a read route runs. */
  domainRead?: DomainRead;
  run(ctx: AgentCtx, params: string[], body: Json): Json | Promise<Json>;
}

/** Route patterns split once, not on every request. */
const SEGMENTS = new Map<string, string[]>();

function match(pattern: string, got: readonly string[]): string[] | null {
  let want = SEGMENTS.get(pattern);
  if (!want) SEGMENTS.set(pattern, (want = pattern.split('/')));
  if (want.length !== got.length) return null;
  const params: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      if (got[i] === '') return null;
      try {
        params.push(decodeURIComponent(got[i]!));
      } catch {
        return null;
      }
    } else if (want[i] !== got[i]) return null;
  }
  return params;
}

/**
 * Per route table, the routes a path matches, for paths that match some route and take no parameter: there are
 * finitely many such paths (the static patterns), so the memo stays small, and the usual request skips the split.
 */
const STATIC_MATCHES = new WeakMap<readonly object[], Map<string, readonly { r: object; params: string[] }[]>>();
const NO_PARAMS: string[] = Object.freeze([]) as unknown as string[];
/** The query of a request without one, and of a subject not yet authenticated: shared, so never changed. */
const NO_QUERY = new URLSearchParams();

/**
 * A constant answer with the bytes the runtime holds for it (RuntimeResponse.bytes): they are read through the
 * prototype, not an own member, so a wrapper that copies the answer with a new body (`{...res, body}`) drops them.
 * A class, not a member defined per answer: this is the answer to every manifest read.
 */
class HeldReply implements RuntimeResponse {
  readonly #bytes: Buffer;

  constructor(
    public status: number,
    public headers: Record<string, string>,
    public body: string,
    bytes: Buffer,
  ) {
    this.#bytes = bytes;
  }

  get bytes(): Buffer {
    return this.#bytes;
  }
}

/** The route for (method, path), or the refusal: 404 for an unknown path, `wrongMethod` for a wrong method. */
function route<R extends { pattern: string; method: string }>(
  routes: readonly R[], method: string, path: string, wrongMethod: Hooks['wrongMethod'],
): { r: R; params: string[] } {
  let memo = STATIC_MATCHES.get(routes);
  if (memo === undefined) STATIC_MATCHES.set(routes, (memo = new Map()));
  let hits = memo.get(path) as { r: R; params: string[] }[] | undefined;
  if (hits === undefined) {
    const got = path.split('/');
    hits = [];
    for (const r of routes) {
      const params = match(r.pattern, got);
      if (params !== null) hits.push({ r, params: params.length === 0 ? NO_PARAMS : params });
    }
    if (hits.length > 0 && hits.every((h) => h.params === NO_PARAMS)) memo.set(path, hits);
  }
  // The first route of the path with this method; else the methods of all the path's routes.
  let methods: string[] | undefined;
  for (const h of hits) {
    if (h.r.method === method) return h;
    (methods ??= []).push(h.r.method);
  }
  if (methods === undefined) throw new ApiError('agent.not_found', 'Route not found');
  throw wrongMethod(methods.join(', '));
}

/**
 * The runtime serves loopback only, so a request naming another host in Host reached it through a name
 * that resolves to loopback: DNS rebinding, a web page of that name driving the local server from a browser.
 * Both planes refuse it (a request without Host, in process, names no other host).
 */
function loopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true;
  // A client sends the same Host on every request: judge it once (a pure function of the string).
  if (host === lastHost) return lastHostLoopback;
  lastHost = host;
  return (lastHostLoopback = judgeHost(host));
}
let lastHost: string | undefined;
let lastHostLoopback = false;

function judgeHost(host: string): boolean {
  const name = /^(\[[^\]]*\]|[^:]*)(?::\d{1,5})?$/.exec(host.trim().toLowerCase())?.[1];
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

function bodyText(body: RuntimeRequest['body']): string {
  if (body === undefined) return '';
  return typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
}

function bodySize(body: RuntimeRequest['body']): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
}

export function createRuntime(opts: RuntimeOptions = {}): Runtime {
  const domainName = opts.domain ?? DEFAULT_DOMAIN;
  if (!isDomainName(domainName)) throw new Error(`unknown domain "${String(domainName)}"; known: ${DOMAIN_NAMES.join(', ')}`);
  const faults = opts.faults ?? NOTHING_SELECTED;
  const variants = opts.variants ?? NOTHING_SELECTED;
  const now = opts.now ?? Date.now;
  // Every event of one millisecond carries the same timestamp: format it once, not per event.
  let isoAt = NaN;
  let isoText = '';
  const iso = () => {
    const t = now();
    if (t !== isoAt) {
      isoAt = t;
      isoText = new Date(t).toISOString();
    }
    return isoText;
  };
  const ids = createIdSource(opts.seed);
  // Creation order fixes the seeded id sequence: domain data, then the admin token.
  const store = new Store({ ...DEFAULT_STORE_LIMITS, ...opts.limits });
  const domainData = DOMAINS[domainName].create(now, (p) => ids.id(p));
  // Records of the protocol get their ids through the recordId hook (composed below, before any record is made).
  let recordIds: IdSource = ids;
  const audit = new AuditLog(opts.auditLimit ?? AUDIT_EVENTS_HELD, () => recordIds.id('aud'), iso, opts.auditFile, opts.auditFileMaxBytes);
  const rate = opts.rateLimit ?? { limit: 240, windowMs: 60_000 };
  const windowNow = opts.windowNow ?? now;
  const limiter = new FixedWindowLimiter(rate.limit, rate.windowMs, windowNow);
  // Refused authentications are counted per client IP (there is no key to count them by): past the limit a
  // refusal is answered 429 and not audited, so wrong tokens cannot flood the audit log.
  const authRate = opts.authFailureLimit ?? { limit: 6_000, windowMs: 60_000 };
  const authFailures = new FixedWindowLimiter(authRate.limit, authRate.windowMs, now);
  const bodyLimit = opts.bodyLimitBytes ?? 1024 * 1024;
  const adminToken = opts.adminToken ?? ids.secret('adm', 24);
  const adminTokenHash = Buffer.from(sha256Hex(`Bearer ${adminToken}`), 'hex');
  // Variants first, faults over them: where both change one decision, the fault has the last word.
  const hooks = composeHooks({ store, audit, limiter, adminTokenHash, now, windowNow, tools: domainData.tools }, [...variants.hooks, ...faults.hooks]);
  // The tool map is the server's declaration (which scopes each tool needs), so a variant may choose it.
  const domain = { ...domainData, tools: hooks.toolMap(domainData.tools) };
  recordIds = { id: (prefix) => hooks.recordId(prefix, ids.id(prefix)), secret: (prefix, bytes) => ids.secret(prefix, bytes) };
  const core: Core = { store, domain, audit, hooks, ids: recordIds, now, iso, windowNow };
  // Decisions that are fixed for the runtime's life, read once.
  const contentType = hooks.contentType();
  const createdStatus = hooks.createdStatus();
  const admitAfterHandler = hooks.admissionAfterHandler();
  const bodyFirst = hooks.parsesBodyBeforeAuthentication();
  // Cached serialisations are the handler's data as built; a layer that reshapes replies must see each one.
  const shapesReplies = [...variants.hooks, ...faults.hooks].some((layer) => layer.replyData !== undefined || layer.successEnvelope !== undefined);
  // SHA-256 of a token once per token, not per request. Only the hash is ever looked up (a revoked key is
  // still found and refused); bounded, and emptied when full so generated tokens cannot grow it.
  const tokenHashes = new Map<string, string>();
  // The same per Authorization header: the bearerToken hook is a function of the header alone, and a header
  // that carries no well-formed token maps to '' (no hash is empty). Only the hash is cached, never the key:
  // revocation is still seen on the very next request. Headers longer than any valid one are not cached.
  const headerHashes = new Map<string, string>();
  const headerTokenHash = (raw: string): string => {
    let h = headerHashes.get(raw);
    if (h === undefined) {
      const carried = hooks.bearerToken(raw);
      h = carried !== null && TOKEN_RE.test(carried) ? hashOf(carried) : '';
      if (raw.length <= HEADER_HASH_MAX_LENGTH) {
        if (headerHashes.size >= TOKEN_HASH_CACHE) headerHashes.clear();
        headerHashes.set(raw, h);
      }
    }
    return h;
  };
  const hashOf = (token: string): string => {
    let h = tokenHashes.get(token);
    if (h === undefined) {
      if (tokenHashes.size >= TOKEN_HASH_CACHE) tokenHashes.clear();
      tokenHashes.set(token, (h = sha256Hex(token)));
    }
    return h;
  };

  const boot = createApp(core, 'system', { scope: 'workspace', name: 'bootstrap', org_id: core.domain.orgId, scopes: [...core.domain.scopes] });
  boot.app.auto_execute = hooks.bootstrapAutoExecute(core.domain.tools);

  const agentRoutes: AgentRoute[] = ([
    { pattern: '/manifest', method: 'GET', audit: 'agent.manifest.read', read: true, body: false, run: (ctx) => manifest(core, ctx) },
    ...core.domain.reads.map((r) => ({
      pattern: r.path, method: 'GET', audit: r.auditAction, read: true, body: false, domainRead: r, run: (ctx: AgentCtx) => runRead(core, ctx, r),
    })),
    { pattern: '/preflight', method: 'POST', audit: 'agent.action.preflight', read: false, body: true, run: (ctx, _p, b) => preflight(core, ctx, b) },
    { pattern: '/actions', method: 'POST', audit: 'agent.action.request', read: false, body: true, run: (ctx, _p, b) => postAction(core, ctx, b) },
    { pattern: '/drafts/:id', method: 'GET', audit: 'agent.draft.read', read: true, body: false, run: (ctx, p) => agentDraft(core, ctx, p[0]!) },
  ] as Omit<AgentRoute, 'key'>[]).map((r) => ({ ...r, key: `${r.method} ${r.pattern}` }));

  function respond(status: number, payload: unknown, headers?: Record<string, string>): RuntimeResponse {
    return { status, headers: headers === undefined ? { 'content-type': contentType } : { 'content-type': contentType, ...headers }, body: JSON.stringify(payload) };
  }

  function succeed(plane: 'agent' | 'admin' | 'health', status: number, data: Json): RuntimeResponse {
    return respond(status, hooks.successEnvelope(plane, { ok: true, code: 'common.success', data }));
  }

  /** A route the hooks do not serve is answered like an unknown path. */
  function served(plane: 'agent' | 'admin' | 'health', r: { method: string; pattern: string; key?: string; domainRead?: DomainRead }): void {
    if (!hooks.serves(plane, r.key ?? `${r.method} ${r.pattern}`, r.domainRead)) throw new ApiError('agent.not_found', 'Route not found');
  }

  function fail(err: ApiError): RuntimeResponse {
    const reply = hooks.errorEnvelope(err);
    return respond(reply.status, reply.body, reply.headers);
  }

  function parseBody(req: RuntimeRequest): Json {
    const text = bodyText(req.body);
    if (text.trim() === '') return {};
    const value = hooks.parseJson(text);
    if (depthExceeds(value, MAX_DEPTH)) throw validationError([issue([], `Body is nested deeper than ${MAX_DEPTH} levels`, 'too_deep')]);
    if (!isObject(value)) throw validationError([issue([], 'Body must be a JSON object', 'invalid_type')]);
    return value;
  }

  /** A refused authentication of `s` on route `r`: audited (unless this address is past its refusal limit), then thrown by the caller. */
  function deny(s: Subject, r: AgentRoute, code: 'agent.token_invalid' | 'agent.token_expired' | 'agent.forbidden' | 'agent.policy_denied', message: string): ApiError {
    const a = authFailures.admit('', s.ip ?? '');
    if (!a.ok) return audited(new ApiError('agent.rate_limited', 'Too many refused authentications from this address', undefined, authFailures.headers(a)));
    auditAgent(core, s, { action: r.audit, status: auditStatusFor(code), code, read: r.read });
    return audited(new ApiError(code, message));
  }

  /** Brief section 6, steps 1–6, in order. Refusals of a request that carried a token are audited. */
  function authenticate(req: RuntimeRequest, r: AgentRoute, query: URLSearchParams, s: Subject): AgentCtx {
    const raw = req.headers.authorization;
    let tokenHash: string;
    if (raw === undefined) {
      const fromQuery = hooks.credentialFromQuery(query);
      if (!fromQuery) throw hooks.missingToken();
      tokenHash = TOKEN_RE.test(fromQuery) ? hashOf(fromQuery) : '';
    } else {
      // A repeated header (an array) carries no token.
      tokenHash = typeof raw === 'string' ? headerTokenHash(raw) : '';
    }
    if (tokenHash === '') throw deny(s, r, 'agent.token_invalid', 'Invalid agent token');
    const key = hooks.lookupKey(tokenHash);
    const app = key && core.store.apps.get(key.app_id);
    if (!key || !app) throw deny(s, r, 'agent.token_invalid', 'Invalid agent token');
    const actor = hooks.actor(app);
    // Set one by one: Subject holds every member from the start (as null), so its shape stays the same.
    s.key = key;
    s.app = app;
    s.actor = actor;
    if (key.revoked_at !== null) throw deny(s, r, 'agent.token_invalid', 'Invalid agent token');
    if (hooks.keyExpired(key, req)) throw deny(s, r, 'agent.token_expired', 'Agent token expired');
    if (app.status !== 'active' && hooks.appRevocationRevokesKeys(key)) throw deny(s, r, 'agent.token_invalid', 'Invalid agent token');
    if (actor === null) throw deny(s, r, 'agent.forbidden', 'Agent app has no actor');
    const allowed = app.policy.network?.allowed_ips ?? [];
    if (allowed.length > 0 && !hooks.ipAllowed(hooks.clientIp(req), allowed)) {
      throw deny(s, r, 'agent.policy_denied', 'Client IP is not allowed by policy');
    }
    // The subject becomes the context: it was made with every member of one (subjectOf), so no second object.
    const ctx = s as AgentCtx;
    ctx.orgId = hooks.requestTenant(app, req, query);
    ctx.query = query;
    return ctx;
  }

  function rateLimited(ctx: AgentCtx, r: AgentRoute): RuntimeResponse | undefined {
    const a = hooks.admit(ctx.key.id, ctx.ip ?? '', r.key, ctx.requestId);
    if (a.ok) return undefined;
    return fail(new ApiError('agent.rate_limited', 'Rate limit exceeded', undefined, hooks.rateLimitHeaders(a)));
  }

  /** The subject of a request, with the members an AgentCtx adds already present (unset), so authenticate can turn it into one in place. */
  function subjectOf(req: RuntimeRequest): Subject {
    const requestId = header(req, 'x-request-id');
    const s: Subject & Pick<AgentCtx, 'orgId' | 'query'> = {
      app: null,
      key: null,
      actor: null,
      ip: normalizeIp(req.clientIp),
      userAgent: header(req, 'user-agent') ?? null,
      requestId: requestId && requestId.length <= 200 ? requestId : null,
      authorization: header(req, 'authorization'),
      orgId: '',
      query: NO_QUERY,
    };
    return s;
  }

  /** Not async: a handler that answers synchronously (every read, a preflight) is answered without a promise of its own. */
  function agent(req: RuntimeRequest, path: string, query: URLSearchParams): RuntimeResponse | Promise<RuntimeResponse> {
    const { r, params } = route(agentRoutes, req.method, path, hooks.wrongMethod);
    served('agent', r);
    const early = bodyFirst && r.body ? parseBody(req) : undefined;
    const ctx = authenticate(req, r, query, subjectOf(req));
    if (!admitAfterHandler) {
      const refused = rateLimited(ctx, r);
      if (refused) return refused;
    }
    let out: Json | Promise<Json>;
    try {
      const body = r.body ? hooks.requestBody(r.key, early ?? parseBody(req)) : {};
      if (typeof body.requestId === 'string' && body.requestId.length <= 200) ctx.requestId = body.requestId;
      out = r.run(ctx, params, body);
    } catch (err) {
      return handlerFailed(ctx, r, err);
    }
    return out instanceof Promise ? out.then((data) => reply(ctx, r, data), (err: unknown) => handlerFailed(ctx, r, err)) : reply(ctx, r, out);
  }

  /** A refusal the handler raised and did not audit itself is audited here, then answered by `handle`. */
  function handlerFailed(ctx: AgentCtx, r: AgentRoute, err: unknown): never {
    if (err instanceof ApiError && !err.audited) {
      auditAgent(core, ctx, { action: r.audit, status: auditStatusFor(err.code), code: err.code, details: err.details ?? null, read: r.read });
    }
    throw err;
  }

  function reply(ctx: AgentCtx, r: AgentRoute, data: Json): RuntimeResponse {
    if (admitAfterHandler) {
      const refused = rateLimited(ctx, r);
      if (refused) return refused;
    }
    const status = hooks.agentReplyStatus(r.key, data);
    const stable = !shapesReplies && typeof data === 'object' && data !== null ? stableBodies.get(data) : undefined;
    if (stable !== undefined) return new HeldReply(status, { 'content-type': contentType }, stable.text, stable.bytes);
    return succeed('agent', status, hooks.replyData('agent', r.key, data));
  }

  function admin(req: RuntimeRequest, path: string, query: URLSearchParams): RuntimeResponse {
    const { r, params } = route(ADMIN_ROUTES, req.method, path, hooks.wrongMethod);
    served('admin', r);
    const admin = hooks.adminAuthenticate(req);
    const key = `${r.method} ${r.pattern}`;
    const body = req.method === 'GET' ? {} : hooks.requestBody(key, parseBody(req));
    const data = r.run(core, { admin, params, query, body });
    return succeed('admin', r.creates ? createdStatus : 200, hooks.replyData('admin', key, data));
  }

  /** Not async: only the agent plane may wait, and a health or admin answer needs no promise of its own. */
  function dispatch(req: RuntimeRequest): RuntimeResponse | Promise<RuntimeResponse> {
    const q = req.path.indexOf('?');
    const path = q === -1 ? req.path : req.path.slice(0, q);
    const query = q === -1 ? NO_QUERY : new URLSearchParams(req.path.slice(q + 1));
    if (bodySize(req.body) > bodyLimit) return oversizeResponse(bodyLimit);
    if (!loopbackHost(header(req, 'host'))) throw new ApiError('agent.policy_denied', 'Host is not this loopback server');
    if (path === '/healthz') {
      served('health', route(HEALTH_ROUTES, req.method, path, hooks.wrongMethod).r);
      return succeed('health', 200, { status: 'ok' });
    }
    if (path.startsWith(AGENT_PREFIX)) return agent(req, path.slice(AGENT_BASE.length), query);
    if (path.startsWith(ADMIN_PREFIX)) return admin(req, path.slice(ADMIN_BASE.length), query);
    throw new ApiError('agent.not_found', 'Route not found');
  }

  /** The answer to what a request threw: its refusal, or 500 (unless the unexpectedError hook throws it on). */
  function failed(err: unknown): RuntimeResponse {
    if (err instanceof ApiError) return fail(err);
    hooks.unexpectedError(err);
    return fail(new ApiError('common.internal_error', 'Internal server error'));
  }

  /** Not async: an answer the runtime has at once is returned as it is (Runtime.respond). */
  function respondTo(req: RuntimeRequest): RuntimeResponse | Promise<RuntimeResponse> {
    try {
      const r = dispatch(req);
      return r instanceof Promise ? r.catch(failed) : r;
    } catch (err) {
      return failed(err);
    }
  }

  const runtime: Runtime = {
    async handle(req) {
      return respondTo(req);
    },
    adminHeaders: hooks.adminHeaders(adminToken),
    bootstrap: { appId: boot.app.id, keyId: boot.key.id, agentToken: boot.token, orgId: boot.app.org_id },
    async authenticate(req) {
      // Section 6 steps 1–6 only: no rate limit and no success event (a session, not a tool call, is admitted).
      try {
        authenticate({ ...req, method: 'POST', path: '/' }, MCP_SESSION_ROUTE, new URLSearchParams(), subjectOf({ ...req, method: 'POST', path: '/' }));
        return undefined;
      } catch (err) {
        if (err instanceof ApiError) return fail(err);
        return fail(new ApiError('common.internal_error', 'Internal server error'));
      }
    },
    async admitMessage(req, count) {
      // Steps 1–6, then (count) one message against the same counter as an HTTP request (E3 of the MCP binding).
      try {
        const r = { ...req, method: 'POST', path: '/' };
        const ctx = authenticate(r, MCP_SESSION_ROUTE, new URLSearchParams(), subjectOf(r));
        const limited = count ? rateLimited(ctx, MCP_SESSION_ROUTE) : undefined;
        return limited ? { refused: limited } : { keyId: ctx.key.id, orgId: ctx.app.org_id };
      } catch (err) {
        return { refused: fail(err instanceof ApiError ? err : new ApiError('common.internal_error', 'Internal server error')) };
      }
    },
    hooks,
    tools: core.domain.tools,
    ...(core.domain.payloadSchemas ? { payloadSchemas: core.domain.payloadSchemas } : {}),
    domain: domainName,
    faults: faults.names,
    releaseFiles: hooks.releaseFiles(),
    close: () => core.audit.close(),
  };
  // Not enumerable (RuntimeResponse.bytes is no own member either): a wrapper that copies the runtime with its own
  // `handle` (`{...runtime, handle}`) drops it, and the adapter then answers through the wrapper's handle.
  return Object.defineProperty(runtime, 'respond', { value: respondTo, enumerable: false });
}

/** A body over the cap: 413 with the standard envelope (common.validation allows 413), in-process or over HTTP. */
export function oversizeResponse(limit: number): RuntimeResponse {
  const body = { ok: false, code: 'common.validation', message: 'Request body too large', details: { issues: [issue([], `Body exceeds ${limit} bytes`, 'too_big')] } };
  return { status: 413, headers: { 'content-type': JSON_TYPE }, body: JSON.stringify(body) };
}
