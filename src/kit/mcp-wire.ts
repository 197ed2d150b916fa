/**
 * JSON-RPC over the MCP endpoint's raw HTTP (CheckContext.mcpWire), for the checks of the MCP binding's own
 * rules (docs/mcp-binding.md): what a session answers to another token, a token in the query string, a
 * foreign Host or Origin, an `arguments.action` that names another tool. The SDK's client cannot send those
 * requests, so the checks speak the protocol here: an `initialize`, its `notifications/initialized`, then
 * requests on the session. A response is read as JSON or as an SSE stream (both are Streamable HTTP).
 */
import { Skip, type CheckContext, type Exchange } from './check.js';

export const MCP_PROTOCOL_VERSION = '2025-06-18';

/** A JSON-RPC response as the wire carried it. */
export interface RpcMessage {
  id?: unknown;
  result?: Record<string, unknown>;
  error?: { code?: unknown; message?: unknown; data?: { code?: unknown; message?: unknown } };
}

export interface WireSession {
  readonly id: string;
  readonly token: string;
  /** Sends one request on the session (with `token`, default the session's, and extra headers). */
  request(method: string, params: Record<string, unknown>, opts?: { token?: string; headers?: Record<string, string> }): Promise<{ ex: Exchange; message: RpcMessage | undefined }>;
  /** Sends `body` as it is (not JSON, or too large) on the session, with the session's token and headers. */
  send(body: string): Promise<Exchange>;
  /**
   * Ends the session on the server (DELETE with its id and token), as a client done with it does: a check
   * leaves no session behind to count against the key's and tenant's session quotas. Its answer is not
   * judged, and a failed DELETE never hides the check's own outcome.
   */
  close(): Promise<void>;
}

/** Runs `use` on `session` and ends the session after it, however `use` ends. */
export async function withSession<T>(session: WireSession, use: (s: WireSession) => Promise<T>): Promise<T> {
  try {
    return await use(session);
  } finally {
    await session.close();
  }
}

type Wire = NonNullable<CheckContext['mcpWire']>;

export function wireOf(ctx: CheckContext): Wire {
  if (!ctx.mcpWire) throw new Skip('judges the MCP binding: run with --binding mcp', '--binding mcp');
  return ctx.mcpWire;
}

/** The headers every Streamable HTTP POST carries, with the bearer token when one is given. */
export function wireHeaders(token: string | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...extra };
}

/** What a raw wire request got, in words: the HTTP status, and the JSON-RPC error's code, message and data.code. */
export function rpcOutcome(ex: Exchange, m: RpcMessage | undefined): string {
  if (!m?.error) return `HTTP ${ex.response.status}, no JSON-RPC error (${JSON.stringify(ex.response.text.slice(0, 80))})`;
  const data = typeof m.error.data?.code === 'string' ? ` error.data.code ${m.error.data.code}` : '';
  return `HTTP ${ex.response.status} JSON-RPC error ${String(m.error.code)} ${JSON.stringify(String(m.error.message ?? '').slice(0, 80))}${data}`;
}

/** The JSON-RPC message of a response with id `id`: the JSON body, or the SSE event that carries it. */
export function rpcMessage(ex: Exchange, id: unknown): RpcMessage | undefined {
  const matches = (m: unknown): m is RpcMessage => m !== null && typeof m === 'object' && (m as RpcMessage).id === id;
  const json = ex.response.json;
  if (Array.isArray(json)) return json.find(matches);
  if (json !== undefined) return matches(json) || (json as RpcMessage).id === null ? (json as RpcMessage) : undefined;
  for (const line of ex.response.text.split(/\r?\n/)) {
    if (!line.startsWith('data:')) continue;
    try {
      const m = JSON.parse(line.slice(5)) as unknown;
      if (matches(m)) return m;
    } catch {
      // Not a JSON event: not the response.
    }
  }
  return undefined;
}

export function initializeBody(id: number): string {
  return JSON.stringify({ jsonrpc: '2.0', id, method: 'initialize', params: { protocolVersion: MCP_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: 'openport-conform', version: '1' } } });
}

/** Sends `initialize` with `token` (and extra headers, a query string); the exchange, and the session when one opened. */
export async function initialize(ctx: CheckContext, token: string | undefined, opts: { headers?: Record<string, string>; query?: string } = {}): Promise<{ ex: Exchange; session?: WireSession }> {
  const wire = wireOf(ctx);
  const ex = await wire({ method: 'POST', ...(opts.query ? { query: opts.query } : {}), headers: wireHeaders(token, opts.headers), body: initializeBody(1) });
  const id = ex.response.headers['mcp-session-id'];
  const message = rpcMessage(ex, 1);
  if (ex.response.status !== 200 || token === undefined || message?.result === undefined) return { ex };
  const common = (t: string, extra: Record<string, string> = {}) => wireHeaders(t, { ...(id ? { 'mcp-session-id': id } : {}), 'mcp-protocol-version': MCP_PROTOCOL_VERSION, ...extra });
  await wire({ method: 'POST', headers: common(token), body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
  let next = 2;
  const session: WireSession = {
    id: id ?? '',
    token,
    async request(method, params, o = {}) {
      const rid = next++;
      const sent = await wire({ method: 'POST', headers: common(o.token ?? token, o.headers), body: JSON.stringify({ jsonrpc: '2.0', id: rid, method, params }) });
      return { ex: sent, message: rpcMessage(sent, rid) };
    },
    send: (body) => wire({ method: 'POST', headers: common(token), body }),
    async close() {
      if (!id) return;
      try {
        await wire({ method: 'DELETE', headers: common(token) });
      } catch {
        // Best effort (the run may be stopping): the check's outcome stands.
      }
    },
  };
  return { ex, session };
}

/** Opens a session or fails the check's set-up (a positive control: the binding must admit the run's own token). */
export async function openSession(ctx: CheckContext, token: string, what: string): Promise<WireSession> {
  const { ex, session } = await initialize(ctx, token);
  if (!session) throw new Error(`${what}: initialize with a valid token answered HTTP ${ex.response.status}: ${ex.response.text.slice(0, 200)}`);
  return session;
}

/** The reason code of a refused HTTP request (T3): `error.data.code` of its JSON-RPC error. */
export function refusalCode(ex: Exchange): string | undefined {
  const code = rpcMessage(ex, null)?.error?.data?.code ?? (ex.response.json as RpcMessage | undefined)?.error?.data?.code;
  return typeof code === 'string' ? code : undefined;
}
