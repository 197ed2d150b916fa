/**
 * The MCP binding of the reference runtime (docs/mcp-binding.md is the normative mapping). An MCP server
 * built on the official SDK translates every tool call into a request to the same pure handler the HTTP
 * binding uses, so keys, policies, drafts, audit, faults and rate limits are the one core's. One MCP server
 * instance serves one session, and a session belongs to the bearer token that opened it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import {
  CallToolRequestSchema, ErrorCode, isInitializeRequest, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  McpError, ReadResourceRequestSchema, type CallToolResult, type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { sha256Hex } from '../protocol/hash.js';
import { AGENT_BASE, type ToolDescriptor } from '../protocol/types.js';
import { ApiError } from './errors.js';
import { composeHooks, deletesByName, type Hooks, type McpHeldSession, type McpSessionQuotas } from './hooks.js';
import type { Runtime, RuntimeResponse } from './types.js';

/** The JSON-RPC error code of every protocol-level OpenPort refusal; the reason code is in `error.data.code`. */
export const OPENPORT_JSONRPC_ERROR = -32010;
/** `_meta` keys of this binding. */
export const META = {
  tool: 'openport/tool',
  app: 'openport/app',
  code: 'openport/code',
  retryAfter: 'openport/retryAfter',
  preflight: 'openport/preflight',
  /** Marks a tool of the binding itself (not of the manifest): the draft poll. */
  binding: 'openport/binding',
} as const;
/** The binding's own tool for polling a draft (W4): hosts whose model can only call tools cannot read resources. */
export const DRAFT_TOOL = 'openport.draft.get';
export const DRAFT_URI_PREFIX = 'openport://drafts/';
export const MCP_PATH = '/mcp';
/** Governance arguments a write tool accepts beside `payload` (the HTTP binding's /actions body fields). */
const WRITE_ARGUMENTS: Record<string, object> = {
  preflightId: { type: 'string', description: 'Execute exactly the payload of this preflight (instead of payload).' },
  execute: { type: 'boolean', description: 'Ask for auto-execution (honoured only when the app\'s auto-execute policy allows it).' },
  forceDraft: { type: 'boolean', description: 'Always create a draft, even when auto-execution would be allowed.' },
  idempotencyKey: { type: 'string', description: 'Scoped per app: a repeated execute with this key replays the first execution.' },
  justification: { type: 'string', description: 'Why the agent wants this write (required for high-risk auto-execution).' },
  preflightHash: { type: 'string', description: 'The impactHash of the preflight this execute rests on.' },
  stateWitnessHash: { type: 'string', description: 'The stateWitnessHash of the preflight (State Witness profile).' },
  requestId: { type: 'string', description: 'Correlation id recorded in the audit trail.' },
};
/**
 * Session quotas (T7): a key may hold this many sessions (a new one evicts that key's oldest idle one), a
 * tenant this many (a key of a full tenant evicts its own oldest idle one, or is refused), the endpoint this
 * many in all (a key with no idle session of its own is refused when full). No request of one key or tenant
 * can close another's session; sessions of keys that no longer authenticate (revoked, expired) are dropped
 * before a quota is judged full. A tenant's quota must hold one session for each key its agents use at once
 * (a judge's run holds one per persona until it ends).
 */
export const SESSION_QUOTAS = { perKey: 256, perTenant: 1_024, total: 8_192 } as const;
export type SessionQuotas = McpSessionQuotas;
/** Request headers that belong to the MCP transport, not to the agent request the runtime sees. */
const TRANSPORT_HEADERS = new Set(['host', 'connection', 'content-length', 'content-type', 'accept', 'accept-encoding', 'mcp-session-id', 'mcp-protocol-version', 'last-event-id', 'authorization', 'transfer-encoding']);

/** Who is calling: the session's token and the client address of the request being served. */
export interface McpCaller { token: string; clientIp: string; headers: Record<string, string> }

type Envelope = { ok?: unknown; code?: unknown; message?: unknown; details?: unknown; data?: unknown };

function parse(res: RuntimeResponse): Envelope | undefined {
  try {
    const j = JSON.parse(res.body) as unknown;
    return j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Envelope) : undefined;
  } catch {
    return undefined;
  }
}

/** What a refusal carries, wherever the binding puts it (isError result or JSON-RPC error data). */
function refusalOf(res: RuntimeResponse, env: Envelope | undefined): { code: string; message: string; details?: unknown; retryAfter?: number } {
  const code = typeof env?.code === 'string' ? env.code : 'common.internal_error';
  const message = typeof env?.message === 'string' ? env.message : 'Internal server error';
  const retry = Number(res.headers['retry-after']);
  return { code, message, ...(env?.details !== undefined ? { details: env.details } : {}), ...(Number.isFinite(retry) ? { retryAfter: retry } : {}) };
}

/** A refusal the front decides itself (not the core), as the core's envelope would carry it. */
function refusalOfError(err: ApiError): { code: string; message: string; details?: unknown } {
  return { code: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) };
}

/** A JSON-RPC error whose message is `message` as given (McpError prefixes "MCP error <code>: ", which clients prefix again). */
function rpcError(code: number, message: string, data?: unknown): McpError {
  const err = new McpError(code, message, data);
  err.message = message;
  return err;
}

/** A protocol-level refusal (E2): -32010, the refusal in error.data, its message as error.message (the mcpRefusalMessage decision). */
function protocolError(res: RuntimeResponse, env: Envelope | undefined, hooks: Pick<Hooks, 'mcpRefusalMessage'>): McpError {
  const r = refusalOf(res, env);
  return rpcError(OPENPORT_JSONRPC_ERROR, hooks.mcpRefusalMessage(OPENPORT_JSONRPC_ERROR, r.message), r);
}

/** A write tool that removes what it names (the verb of the tool's last name segment). */
export const isDestructive = deletesByName;

/** The text an agent's model reads of a refusal: the code and message, then each validation issue on a line. */
export function refusalText(r: { code: string; message: string; details?: unknown }, withIssues = true): string {
  const issues = withIssues ? (r.details as { issues?: unknown } | undefined)?.issues : undefined;
  const lines = Array.isArray(issues)
    ? issues.slice(0, 20).map((i: { path?: unknown; message?: unknown; code?: unknown }) => `- ${Array.isArray(i.path) && i.path.length > 0 ? i.path.join('.') : '(body)'}: ${String(i.message)}${i.code ? ` (${String(i.code)})` : ''}`)
    : [];
  return [`${r.code}: ${r.message}`, ...lines].join('\n');
}

function isWrite(t: ToolDescriptor): boolean {
  return t.kind === 'action' || (t.http !== undefined && t.http.method.toUpperCase() !== 'GET');
}

/** The decision points the MCP front reads, for a runtime that hands none (a test's wrapper): the defaults. */
let defaultMcpHooks: Hooks | undefined;
function hooksOf(runtime: Runtime): Hooks {
  return runtime.hooks ?? (defaultMcpHooks ??= composeHooks({} as Parameters<typeof composeHooks>[0], []));
}

/**
 * A tool of the manifest as an MCP tool: its schema, the annotations (from its kind and risk, D4), OpenPort
 * metadata under _meta, and for a read the schema of its data as MCP's `outputSchema` (a write's result has
 * two shapes, a draft or execution and a preflight record, so it declares none there).
 */
export function toMcpTool(t: ToolDescriptor, hooks?: Pick<Hooks, 'mcpAnnotations'>, payloadSchema?: Record<string, unknown>): Tool {
  const write = isWrite(t);
  const base = (t.inputSchema ?? { type: 'object', properties: {} }) as { properties?: Record<string, object> };
  // A payload the manifest leaves undescribed gets the domain's schema of it (Runtime.payloadSchemas).
  const described = (base.properties?.payload as { properties?: unknown } | undefined)?.properties !== undefined;
  const properties = { ...(base.properties ?? {}), ...(!described && payloadSchema ? { payload: payloadSchema } : {}) };
  const inputSchema = write
    ? { type: 'object' as const, properties: { ...(Object.keys(properties).length > 0 ? properties : { payload: { type: 'object' } }), ...WRITE_ARGUMENTS }, anyOf: [{ required: ['payload'] }, { required: ['preflightId'] }] }
    : { ...base, type: 'object' as const };
  const annotations = (hooks ?? hooksOf({} as Runtime)).mcpAnnotations(t, write);
  const output = !write && (t.outputSchema as { type?: unknown } | undefined)?.type === 'object' ? (t.outputSchema as Tool['outputSchema']) : undefined;
  return {
    name: t.name,
    description: t.description,
    inputSchema,
    ...(output ? { outputSchema: output } : {}),
    ...(annotations ? { annotations } : {}),
    _meta: {
      [META.tool]: {
        kind: write ? 'action' : 'read',
        requiredScopes: t.requiredScopes,
        risk: t.risk,
        requiresConfirmation: t.requiresConfirmation,
        ...(t.outputSchema ? { outputSchema: t.outputSchema } : {}),
      },
    },
  };
}

/** The binding's draft poll as a tool (W4): any key may poll its own app's drafts, so it needs no scope. */
const DRAFT_TOOL_DEF: Tool = {
  name: DRAFT_TOOL,
  description: 'Poll a draft of this app: its status and its latest execution ({draft, execution}).',
  inputSchema: { type: 'object', properties: { draftId: { type: 'string', description: 'The id of the draft (draft.id of a write result).' } }, required: ['draftId'] },
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  _meta: { [META.binding]: 'draft-poll' },
};

function queryOf(args: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(args ?? {})) if (v !== undefined && v !== null) params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * The SDK answers params its request schema rejects with -32603 (internal error); MCP (and JSON-RPC) call
 * that -32602 (invalid params). Each registered handler is wrapped once so that a schema rejection says so.
 */
function invalidParamsAsSuch(server: Server, hooks: Pick<Hooks, 'mcpInvalidParamsCode'>): void {
  const handlers = (server as unknown as { _requestHandlers: Map<string, (req: unknown, extra: unknown) => Promise<unknown>> })._requestHandlers;
  for (const [method, handler] of handlers) {
    handlers.set(method, async (req, extra) => {
      try {
        return await handler(req, extra);
      } catch (err) {
        if (!(err instanceof McpError) && Array.isArray((err as { issues?: unknown }).issues)) throw rpcError(hooks.mcpInvalidParamsCode(), `Invalid params of ${method}`);
        throw err;
      }
    });
  }
}

/** A tool-level refusal (E1): an isError result carrying the code; the `error` carrier (a fault) throws it instead. */
function refusalResult(r: ReturnType<typeof refusalOf>, carrier: { via: (code: string) => 'result' | 'error'; issues: boolean }): CallToolResult {
  if (carrier.via(r.code) === 'error') throw rpcError(OPENPORT_JSONRPC_ERROR, r.message, r);
  return {
    isError: true,
    content: [{ type: 'text', text: refusalText(r, carrier.issues) }],
    structuredContent: r,
    _meta: { [META.code]: r.code, ...(r.retryAfter !== undefined ? { [META.retryAfter]: r.retryAfter } : {}) },
  };
}

/** One MCP server (one session) over the runtime, for the caller `caller()` names at each request. */
export function createMcpServer(runtime: Runtime, caller: () => McpCaller): Server {
  const tools = runtime.tools ?? [];
  const hooks = hooksOf(runtime);
  const server = new Server({ name: 'openport-reference-runtime', version: '1' }, { capabilities: { tools: { listChanged: false }, resources: {} }, jsonSchemaValidator: sharedSchemaValidator() });
  const call = (method: string, path: string, body?: unknown): Promise<RuntimeResponse> => {
    const c = caller();
    return runtime
      .handle({
        method,
        path,
        headers: { ...c.headers, authorization: `Bearer ${c.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        clientIp: c.clientIp,
      })
      // A crashed handler is what a bare 500 is over HTTP.
      .catch(() => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }));
  };
  const pollDraft = async (id: string): Promise<{ ok: true; data: unknown } | { ok: false; res: RuntimeResponse; env: Envelope | undefined }> => {
    const res = await call('GET', `${AGENT_BASE}/drafts/${encodeURIComponent(id)}`);
    const env = parse(res);
    return res.status === 200 && env?.ok === true ? { ok: true, data: env.data } : { ok: false, res, env };
  };

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const res = await call('GET', `${AGENT_BASE}/manifest`);
    const env = parse(res);
    if (res.status !== 200 || env?.ok !== true) throw protocolError(res, env, hooks);
    const data = env.data as { app?: unknown; tools?: ToolDescriptor[] };
    return { tools: [...(data.tools ?? []).map((t) => toMcpTool(t, hooks, runtime.payloadSchemas?.[t.name])), DRAFT_TOOL_DEF], _meta: { [META.app]: data.app } };
  });

  server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = req.params;
    const carrier = { via: (code: string) => hooks.mcpRefusalCarrier(code), issues: hooks.mcpRefusalTextIssues() };
    const success = (data: Record<string, unknown>): CallToolResult => ({ content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data, _meta: { [META.code]: 'common.success' } });
    const refused = (res: RuntimeResponse, env: Envelope | undefined) => refusalResult(refusalOf(res, env), carrier);
    if (name === DRAFT_TOOL) {
      const id = args?.draftId;
      if (typeof id !== 'string' || id === '') {
        return refusalResult({ code: 'common.validation', message: 'Validation failed', details: { issues: [{ code: 'required', path: ['draftId'], message: 'draftId is required (a string)' }] } }, carrier);
      }
      const polled = await pollDraft(id);
      return polled.ok ? success((polled.data ?? {}) as Record<string, unknown>) : refused(polled.res, polled.env);
    }
    // The tool name is the action (R2): an arguments.action naming another is refused, never followed.
    const action = hooks.mcpCallAction(name, args?.action);
    if (action instanceof ApiError) return refusalResult(refusalOfError(action), carrier);
    const unlisted = hooks.mcpUnlistedToolRefusal(action);
    if (unlisted) {
      // Such a front reads the caller's manifest first; a refusal of that read (rate limit, revoked key) is the answer.
      const res = await call('GET', `${AGENT_BASE}/manifest`);
      const env = parse(res);
      if (res.status !== 200 || env?.ok !== true) return refused(res, env);
      if (!((env.data as { tools?: ToolDescriptor[] } | undefined)?.tools ?? []).some((t) => t.name === action)) return refusalResult(refusalOfError(unlisted), carrier);
    }
    const tool = tools.find((t) => t.name === action);
    const preflight = (_meta as Record<string, unknown> | undefined)?.[META.preflight] === true;
    const { action: _named, ...rest } = args ?? {};
    let res: RuntimeResponse;
    if (!tool) {
      // A name the server has no tool for goes to the core like any action (it decides and audits the refusal);
      // its agent.action_unknown is MCP's protocol error for an unknown tool (-32602), carrying the code. A
      // tool the key cannot see is routed below like any other: the core refuses it as over HTTP (scope_denied).
      // An absent payload is sent as {}, so that the core judges the name rather than the missing payload.
      const payload = rest.payload ?? {};
      res = preflight ? await call('POST', `${AGENT_BASE}/preflight`, { action, payload }) : await call('POST', `${AGENT_BASE}/actions`, { ...rest, payload, action });
      const r = refusalOf(res, parse(res));
      if (r.code === 'agent.action_unknown') throw rpcError(hooks.mcpUnknownToolCode(), `Unknown tool: ${name.slice(0, 100)}`, r);
    } else if (!isWrite(tool) && tool.http) res = await call('GET', `${tool.http.path}${queryOf(rest)}`);
    else if (preflight) res = await call('POST', `${AGENT_BASE}/preflight`, { action, payload: rest.payload });
    else res = await call('POST', `${AGENT_BASE}/actions`, { ...rest, action });
    const env = parse(res);
    if (res.status === 200 && env?.ok === true) return success((env.data ?? {}) as Record<string, unknown>);
    return refused(res, env);
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: `${DRAFT_URI_PREFIX}{id}`, name: 'draft', description: 'A draft of this app and its latest execution ({draft, execution}); the agent polls it.', mimeType: 'application/json' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const { uri } = req.params;
    if (!uri.startsWith(DRAFT_URI_PREFIX)) throw rpcError(OPENPORT_JSONRPC_ERROR, hooks.mcpRefusalMessage(OPENPORT_JSONRPC_ERROR, 'Resource not found'), { code: 'agent.not_found', message: 'Resource not found' });
    const polled = await pollDraft(decodeURIComponent(uri.slice(DRAFT_URI_PREFIX.length)));
    if (!polled.ok) throw protocolError(polled.res, polled.env, hooks);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(polled.data) }] };
  });
  invalidParamsAsSuch(server, hooks);
  return server;
}

function requireMcpSupport(runtime: Runtime): asserts runtime is Runtime & Required<Pick<Runtime, 'authenticate' | 'admitMessage' | 'tools'>> {
  if (!runtime.authenticate || !runtime.admitMessage || !runtime.tools) throw new Error('this runtime cannot be served over MCP (no authenticate/tools)');
}

/**
 * Embedded: a session over the SDK's in-memory transport for `token`. The token is admitted as the HTTP
 * front admits it; a refusal is returned instead of a transport, as the HTTP front would answer it.
 */
export async function connectInMemory(runtime: Runtime, token: string | undefined, clientIp = '127.0.0.1', headers: Record<string, string> = {}): Promise<{ transport: InMemoryTransport; close(): Promise<void> } | { refused: RuntimeResponse }> {
  requireMcpSupport(runtime);
  const refused = await runtime.authenticate({ headers: token === undefined ? {} : { authorization: `Bearer ${token}` }, clientIp });
  if (refused) return { refused: sessionRefusal(refused) };
  const [client, serverSide] = InMemoryTransport.createLinkedPair();
  const server = createMcpServer(runtime, () => ({ token: token!, clientIp, headers }));
  await server.connect(serverSide);
  return { transport: client, close: () => server.close() };
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: Server;
  tokenHash: string;
  keyId: string;
  orgId: string;
  caller: McpCaller;
  /** Requests of the session being served: a session is evicted only when idle (evicting it would cut them off). */
  busy: number;
}

function jsonRpcErrorResponse(status: number, code: number, message: string, data?: unknown, headers: Record<string, string> = {}): RuntimeResponse {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(data === undefined ? {} : { data }) }, id: null });
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  write(res, jsonRpcErrorResponse(status, code, message, data));
}

/** A request refused before any session (a Host or Origin of another server): 403 with the HTTP binding's reason code. */
function forbidden(res: ServerResponse, message: string): void {
  jsonRpcError(res, 403, OPENPORT_JSONRPC_ERROR, message, { code: 'agent.policy_denied', message });
}

function write(res: ServerResponse, r: RuntimeResponse): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) }).end(r.body);
}

/** A body over the server's cap on the MCP endpoint: 413 as a JSON-RPC error (-32600) carrying the reason code. */
export function oversizeJsonRpc(limit: number): RuntimeResponse {
  const data = { code: 'common.validation', message: 'Request body too large', details: { issues: [{ code: 'too_big', path: [], message: `Body exceeds ${limit} bytes` }] } };
  return jsonRpcErrorResponse(413, ErrorCode.InvalidRequest, data.message, data, { connection: 'close' });
}

/** RFC 9728: where the endpoint's protected-resource metadata is, relative to the server's origin. */
export const RESOURCE_METADATA_PATH = `/.well-known/oauth-protected-resource${MCP_PATH}`;

/**
 * A refused session admission (T3 of the mapping): the runtime's status, a JSON-RPC error carrying the reason
 * code. A 401 names the scheme, and with `origin` (served over HTTP) the RFC 9728 metadata; a presented
 * credential that was refused is `error="invalid_token"` (RFC 6750; a request without one gets no error code).
 */
export function sessionRefusal(r: RuntimeResponse, opts: { origin?: string; presented?: boolean; challenge?: (c: string) => string | undefined } = {}): RuntimeResponse {
  const data = refusalOf(r, parse(r));
  const challenge = (opts.challenge ?? ((c: string) => c))(['Bearer realm="openport"', ...(opts.presented ? ['error="invalid_token"'] : []), ...(opts.origin ? [`resource_metadata="${opts.origin}${RESOURCE_METADATA_PATH}"`] : [])].join(', '));
  const extra: Record<string, string> = r.status === 401 && challenge !== undefined ? { 'www-authenticate': challenge } : {};
  if (r.headers['retry-after']) extra['retry-after'] = r.headers['retry-after'];
  return jsonRpcErrorResponse(r.status, OPENPORT_JSONRPC_ERROR, data.message, data, extra);
}

/** Distinct schemas the shared validator keeps compiled; past it, it starts afresh (a server may send endless schemas). */
const SCHEMA_CACHE_MAX = 1_000;
let sharedValidator: jsonSchemaValidator | undefined;

/**
 * One JSON Schema validator for every MCP server and client of the process, compiling each distinct schema once.
 * The SDK's default builds an Ajv instance (with its formats) per server and per client, and compiles every
 * tool's output schema again on each tools/list: a session opened per persona and per check made that most of
 * an MCP run's CPU. Same Ajv options as the default, so validation is unchanged.
 */
export function sharedSchemaValidator(): jsonSchemaValidator {
  if (sharedValidator === undefined) {
    let ajv = new AjvJsonSchemaValidator();
    const compiled = new Map<string, ReturnType<jsonSchemaValidator['getValidator']>>();
    sharedValidator = {
      getValidator(schema) {
        const key = JSON.stringify(schema);
        let validate = compiled.get(key);
        if (validate === undefined) {
          if (compiled.size >= SCHEMA_CACHE_MAX) {
            compiled.clear();
            ajv = new AjvJsonSchemaValidator();
          }
          compiled.set(key, (validate = ajv.getValidator(schema)));
        }
        return validate as never;
      },
    };
  }
  return sharedValidator;
}

/**
 * The Streamable HTTP endpoint (`POST|GET|DELETE /mcp`) on the runtime's port. The Host header must name
 * loopback and an Origin header, when sent, a loopback origin (DNS rebinding: the runtime only ever listens
 * there). Every request is authenticated by its Authorization header (a token in the query string is no
 * credential) and every message counts against the key's rate limit, the core's calls in the core and the
 * rest (initialize, notifications, pings, stream GETs, DELETE) here. A session is opened by an admitted
 * `initialize`, may be used only with the token that opened it, and counts against its key's and tenant's
 * quotas (SESSION_QUOTAS).
 */
export function createMcpHttpHandler(runtime: Runtime, quotas: SessionQuotas = SESSION_QUOTAS): {
  handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>;
  metadata(req: IncomingMessage, res: ServerResponse): void;
  /** The answer to a body over the server's cap `limit` (E2), or undefined to answer it as the HTTP binding does. */
  oversize(limit: number): RuntimeResponse | undefined;
  close(): Promise<void>;
} {
  requireMcpSupport(runtime);
  const hooks = hooksOf(runtime);
  // Insertion order is age: the first session of a key in `sessions` is its oldest.
  const sessions = new Map<string, Session>();
  const drop = async (id: string) => {
    const s = sessions.get(id);
    sessions.delete(id);
    await s?.server.close().catch(() => undefined);
  };
  const held = (): McpHeldSession[] => [...sessions].map(([id, s]) => ({ id, keyId: s.keyId, orgId: s.orgId, idle: s.busy === 0 }));
  /** Drops the sessions whose token no longer authenticates: a revoked or expired key holds no quota. */
  const dropDead = async () => {
    for (const [id, s] of [...sessions]) {
      if (s.busy > 0) continue;
      const alive = await runtime.admitMessage({ headers: { authorization: `Bearer ${s.caller.token}` }, clientIp: s.caller.clientIp }, false);
      if ('refused' in alive) await drop(id);
    }
  };
  /** Room for one more session of `keyId` (T7, the mcpSessionRoom decision); false when it is refused. */
  const makeRoom = async (keyId: string, orgId: string): Promise<boolean> => {
    let room = hooks.mcpSessionRoom(held(), keyId, orgId, quotas);
    if (room.admit && room.evict === undefined) return true;
    // Before any session is closed or the open refused, the sessions of dead keys give up their room.
    await dropDead();
    room = hooks.mcpSessionRoom(held(), keyId, orgId, quotas);
    if (!room.admit) return false;
    if (room.evict !== undefined) await drop(room.evict);
    return true;
  };
  const originOf = (req: IncomingMessage) => `http://${req.headers.host}`;
  return {
    oversize: (limit) => (hooks.mcpOversizeCarrier() === 'json-rpc' ? oversizeJsonRpc(limit) : undefined),
    metadata(req, res) {
      if (!hooks.mcpHostAllowed(req.headers.host)) return forbidden(res, 'Host header does not name this loopback server');
      // RFC 9728 protected-resource metadata: static bearer keys from the admin plane, no authorization server.
      const doc = { resource: `${originOf(req)}${MCP_PATH}`, bearer_methods_supported: ['header'], resource_name: 'OpenPort agent/v1 over MCP', resource_documentation: 'https://github.com/openport-protocol/openport-conform/blob/main/docs/mcp-binding.md' };
      write(res, { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(doc) });
    },
    async handle(req, res, body) {
      if (!hooks.mcpHostAllowed(req.headers.host)) return forbidden(res, 'Host header does not name this loopback server');
      const origin = Array.isArray(req.headers.origin) ? req.headers.origin[0] : req.headers.origin;
      if (!hooks.mcpOriginAllowed(origin)) return forbidden(res, 'Origin is not a loopback origin');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !TRANSPORT_HEADERS.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const auth = hooks.mcpCredential(req.headers.authorization, new URL(req.url ?? '/', 'http://x').searchParams);
      const clientIp = req.socket.remoteAddress ?? '';
      // The same decision point as the HTTP front's: the body is read after the token, unless a fault reads it first.
      const bodyFirst = req.method === 'POST' && hooks.parsesBodyBeforeAuthentication();
      let parsed: unknown;
      const parse = (): boolean => {
        try {
          parsed = JSON.parse(body.toString('utf8'));
          return true;
        } catch {
          const unparsable = hooks.mcpUnparsableBody();
          jsonRpcError(res, unparsable.status, unparsable.code, 'Parse error');
          return false;
        }
      };
      if (bodyFirst && !parse()) return;
      const admitted = await runtime.admitMessage({ headers: auth === undefined ? {} : { authorization: auth }, clientIp }, false);
      if ('refused' in admitted) return write(res, sessionRefusal(admitted.refused, { origin: originOf(req), presented: auth !== undefined, challenge: hooks.mcpChallenge }));
      // The token as the core read it (the bearerToken decision point), so both fronts admit the same header.
      const token = hooks.bearerToken(auth!) ?? '';
      if (req.method === 'POST' && !bodyFirst && !parse()) return;
      // Every message the core does not serve counts here, as one request each (E3).
      for (let n = hooks.mcpFrontMessages(req.method ?? 'GET', parsed); n > 0; n--) {
        const limited = await runtime.admitMessage({ headers: { authorization: auth! }, clientIp }, true);
        if ('refused' in limited) return write(res, sessionRefusal(limited.refused, { challenge: hooks.mcpChallenge }));
      }
      const sessionId = req.headers['mcp-session-id'];
      let session: Session | undefined;
      if (typeof sessionId === 'string') {
        session = sessions.get(sessionId);
        if (!session) return jsonRpcError(res, 404, -32001, 'Session not found');
        if (!hooks.mcpSessionServes(session.tokenHash, sha256Hex(token))) {
          return jsonRpcError(res, 403, OPENPORT_JSONRPC_ERROR, 'This session belongs to another token', { code: 'agent.forbidden', message: 'This session belongs to another token' });
        }
      } else if (req.method === 'POST' && (Array.isArray(parsed) ? parsed.some(isInitializeRequest) : isInitializeRequest(parsed))) {
        if (!(await makeRoom(admitted.keyId, admitted.orgId))) {
          return write(res, jsonRpcErrorResponse(429, OPENPORT_JSONRPC_ERROR, 'Too many MCP sessions for this tenant', { code: 'agent.rate_limited', message: 'Too many MCP sessions for this tenant', retryAfter: 60 }, { 'retry-after': '60' }));
        }
        const caller: McpCaller = { token, clientIp, headers };
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          enableJsonResponse: true,
          onsessioninitialized: (id) => void sessions.set(id, session!),
          onsessionclosed: (id) => void sessions.delete(id),
        });
        const server = createMcpServer(runtime, () => caller);
        session = { transport, server, tokenHash: sha256Hex(token), keyId: admitted.keyId, orgId: admitted.orgId, caller, busy: 0 };
        await server.connect(transport);
      } else {
        return jsonRpcError(res, 400, -32000, 'Bad Request: no valid session id (send initialize first)');
      }
      // The address and agent headers of the request being served (the runtime's IP policy and audit see them).
      session.caller.clientIp = clientIp;
      session.caller.headers = headers;
      // The session's own token serves the core's calls (a fault may let another token use the session).
      session.busy++;
      try {
        await session.transport.handleRequest(req, res, parsed);
      } finally {
        session.busy--;
      }
    },
    async close() {
      await Promise.all([...sessions.keys()].map(drop));
    },
  };
}
