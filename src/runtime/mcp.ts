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
import {
  CallToolRequestSchema, isInitializeRequest, ListResourcesRequestSchema, ListResourceTemplatesRequestSchema, ListToolsRequestSchema,
  McpError, ReadResourceRequestSchema, type CallToolResult, type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { sha256Hex } from '../protocol/hash.js';
import { AGENT_BASE, type ToolDescriptor } from '../protocol/types.js';
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
} as const;
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
const MAX_SESSIONS = 1_000;
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

function protocolError(res: RuntimeResponse, env: Envelope | undefined): McpError {
  const r = refusalOf(res, env);
  return new McpError(OPENPORT_JSONRPC_ERROR, r.message, r);
}

/** A write tool that removes what it names: MCP's destructiveHint (the verb of the tool's last name segment). */
export function isDestructive(name: string): boolean {
  return /^(?:hard_)?(?:delete|remove|purge|destroy|erase)/.test(name.split('.').pop() ?? '');
}

function isWrite(t: ToolDescriptor): boolean {
  return t.kind === 'action' || (t.http !== undefined && t.http.method.toUpperCase() !== 'GET');
}

/** A tool of the manifest as an MCP tool: its schema, the annotations set explicitly, OpenPort metadata under _meta. */
export function toMcpTool(t: ToolDescriptor): Tool {
  const write = isWrite(t);
  const base = (t.inputSchema ?? { type: 'object', properties: {} }) as { properties?: Record<string, object> };
  const inputSchema = write
    ? { type: 'object' as const, properties: { ...(base.properties ?? { payload: { type: 'object' } }), ...WRITE_ARGUMENTS }, anyOf: [{ required: ['payload'] }, { required: ['preflightId'] }] }
    : { ...base, type: 'object' as const };
  const destructive = write && isDestructive(t.name);
  return {
    name: t.name,
    description: t.description,
    inputSchema,
    annotations: { readOnlyHint: !write, destructiveHint: destructive, idempotentHint: !write, openWorldHint: false },
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

function queryOf(args: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(args ?? {})) if (v !== undefined && v !== null) params.set(k, typeof v === 'object' ? JSON.stringify(v) : String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** One MCP server (one session) over the runtime, for the caller `caller()` names at each request. */
export function createMcpServer(runtime: Runtime, caller: () => McpCaller): Server {
  const tools = runtime.tools ?? [];
  const server = new Server({ name: 'openport-reference-runtime', version: '1' }, { capabilities: { tools: { listChanged: false }, resources: {} } });
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

  server.setRequestHandler(ListToolsRequestSchema, async () => {
    const res = await call('GET', `${AGENT_BASE}/manifest`);
    const env = parse(res);
    if (res.status !== 200 || env?.ok !== true) throw protocolError(res, env);
    const data = env.data as { app?: unknown; tools?: ToolDescriptor[] };
    return { tools: (data.tools ?? []).map(toMcpTool), _meta: { [META.app]: data.app } };
  });

  server.setRequestHandler(CallToolRequestSchema, async (req): Promise<CallToolResult> => {
    const { name, arguments: args, _meta } = req.params;
    const tool = tools.find((t) => t.name === name);
    const preflight = (_meta as Record<string, unknown> | undefined)?.[META.preflight] === true;
    let res: RuntimeResponse;
    if (tool && !isWrite(tool) && tool.http) res = await call('GET', `${tool.http.path}${queryOf(args)}`);
    else if (preflight) res = await call('POST', `${AGENT_BASE}/preflight`, { action: name, payload: args?.payload });
    else res = await call('POST', `${AGENT_BASE}/actions`, { action: name, ...args });
    const env = parse(res);
    if (res.status === 200 && env?.ok === true) {
      const data = (env.data ?? {}) as Record<string, unknown>;
      return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data, _meta: { [META.code]: 'common.success' } };
    }
    const r = refusalOf(res, env);
    return {
      isError: true,
      content: [{ type: 'text', text: `${r.code}: ${r.message}` }],
      structuredContent: r,
      _meta: { [META.code]: r.code, ...(r.retryAfter !== undefined ? { [META.retryAfter]: r.retryAfter } : {}) },
    };
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({
    resourceTemplates: [{ uriTemplate: `${DRAFT_URI_PREFIX}{id}`, name: 'draft', description: 'A draft of this app and its latest execution ({draft, execution}); the agent polls it.', mimeType: 'application/json' }],
  }));
  server.setRequestHandler(ReadResourceRequestSchema, async (req) => {
    const { uri } = req.params;
    if (!uri.startsWith(DRAFT_URI_PREFIX)) throw new McpError(OPENPORT_JSONRPC_ERROR, 'Resource not found', { code: 'agent.not_found', message: 'Resource not found' });
    const res = await call('GET', `${AGENT_BASE}/drafts/${encodeURIComponent(decodeURIComponent(uri.slice(DRAFT_URI_PREFIX.length)))}`);
    const env = parse(res);
    if (res.status !== 200 || env?.ok !== true) throw protocolError(res, env);
    return { contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(env.data) }] };
  });
  return server;
}

function requireMcpSupport(runtime: Runtime): asserts runtime is Runtime & Required<Pick<Runtime, 'authenticate' | 'tools'>> {
  if (!runtime.authenticate || !runtime.tools) throw new Error('this runtime cannot be served over MCP (no authenticate/tools)');
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

interface Session { transport: StreamableHTTPServerTransport; server: Server; tokenHash: string; caller: McpCaller }

function jsonRpcErrorResponse(status: number, code: number, message: string, data?: unknown, headers: Record<string, string> = {}): RuntimeResponse {
  const body = JSON.stringify({ jsonrpc: '2.0', error: { code, message, ...(data === undefined ? {} : { data }) }, id: null });
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}

function jsonRpcError(res: ServerResponse, status: number, code: number, message: string, data?: unknown): void {
  write(res, jsonRpcErrorResponse(status, code, message, data));
}

function write(res: ServerResponse, r: RuntimeResponse): void {
  res.writeHead(r.status, { ...r.headers, 'content-length': Buffer.byteLength(r.body) }).end(r.body);
}

/** A refused session admission (T3 of the mapping): the runtime's status, a JSON-RPC error carrying the reason code. */
export function sessionRefusal(r: RuntimeResponse): RuntimeResponse {
  const data = refusalOf(r, parse(r));
  const extra: Record<string, string> = r.status === 401 ? { 'www-authenticate': 'Bearer realm="openport"' } : {};
  if (r.headers['retry-after']) extra['retry-after'] = r.headers['retry-after'];
  return jsonRpcErrorResponse(r.status, OPENPORT_JSONRPC_ERROR, data.message, data, extra);
}

function hostIsLoopback(host: string | undefined): boolean {
  if (!host) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.split(':')[0]!;
  return name === '127.0.0.1' || name === 'localhost' || name === '[::1]';
}

/**
 * The Streamable HTTP endpoint (`POST|GET|DELETE /mcp`) on the runtime's port. Every request is
 * authenticated by its Authorization header (a token in the query string is no credential); a session is
 * opened by an admitted `initialize` and may be used only with the token that opened it. The Host header
 * must name loopback (DNS-rebinding protection: the runtime only ever listens there).
 */
export function createMcpHttpHandler(runtime: Runtime): { handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void>; close(): Promise<void> } {
  requireMcpSupport(runtime);
  const sessions = new Map<string, Session>();
  const drop = async (id: string) => {
    const s = sessions.get(id);
    sessions.delete(id);
    await s?.server.close().catch(() => undefined);
  };
  return {
    async handle(req, res, body) {
      if (!hostIsLoopback(req.headers.host)) return jsonRpcError(res, 403, -32000, 'Forbidden: Host header does not name this loopback server');
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !TRANSPORT_HEADERS.has(k)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
      const auth = req.headers.authorization;
      const clientIp = req.socket.remoteAddress ?? '';
      const refused = await runtime.authenticate({ headers: auth === undefined ? {} : { authorization: auth }, clientIp });
      if (refused) return write(res, sessionRefusal(refused));
      const token = /^Bearer +(\S+) *$/i.exec(auth!)![1]!;
      let parsed: unknown;
      if (req.method === 'POST') {
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          return jsonRpcError(res, 400, -32700, 'Parse error');
        }
      }
      const sessionId = req.headers['mcp-session-id'];
      let session: Session | undefined;
      if (typeof sessionId === 'string') {
        session = sessions.get(sessionId);
        if (!session) return jsonRpcError(res, 404, -32001, 'Session not found');
        if (session.tokenHash !== sha256Hex(token)) {
          return jsonRpcError(res, 403, OPENPORT_JSONRPC_ERROR, 'This session belongs to another token', { code: 'agent.forbidden', message: 'This session belongs to another token' });
        }
      } else if (req.method === 'POST' && (Array.isArray(parsed) ? parsed.some(isInitializeRequest) : isInitializeRequest(parsed))) {
        if (sessions.size >= MAX_SESSIONS) await drop(sessions.keys().next().value!);
        const caller: McpCaller = { token, clientIp, headers };
        const transport = new StreamableHTTPServerTransport({
          sessionIdGenerator: randomUUID,
          enableJsonResponse: true,
          onsessioninitialized: (id) => void sessions.set(id, session!),
          onsessionclosed: (id) => void sessions.delete(id),
        });
        const server = createMcpServer(runtime, () => caller);
        session = { transport, server, tokenHash: sha256Hex(token), caller };
        await server.connect(transport);
      } else {
        return jsonRpcError(res, 400, -32000, 'Bad Request: no valid session id (send initialize first)');
      }
      // The address and agent headers of the request being served (the runtime's IP policy and audit see them).
      session.caller.clientIp = clientIp;
      session.caller.headers = headers;
      await session.transport.handleRequest(req, res, parsed);
    },
    async close() {
      await Promise.all([...sessions.keys()].map(drop));
    },
  };
}
