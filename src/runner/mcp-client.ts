/**
 * The MCP binding's agent client (docs/mcp-binding.md): the same AgentClient the checks use on HTTP, speaking
 * MCP through the official SDK's client — over Streamable HTTP to `<url>/mcp`, or over the SDK's in-memory
 * transport to the embedded runtime. Every answer becomes an Exchange the checks' assertions judge: a success
 * is `HTTP 200 {ok:true, code:"common.success", data}`, a refusal carries its reason code with the registry's
 * status for that code (the MCP binding has no HTTP status of its own; E4 of the mapping).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport as McpTransport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { statusesFor } from '../protocol/codes.js';
import type { Runtime } from '../runtime/index.js';
import { DRAFT_URI_PREFIX, META as MCP_META, MCP_PATH, connectInMemory } from '../runtime/mcp.js';
import { ToolError, type AgentClient, type Exchange, type HttpExchangeRequest } from '../kit/check.js';
import { readCall } from '../kit/clients.js';
import { USER_AGENT } from '../kit/paths.js';
import type { ReadRoute } from '../kit/target.js';

export { BINDINGS, type BindingName } from '../kit/check.js';

/** What reaches a server over MCP: a session per (token, extra headers), opened on first use, closed at the end of the run. */
export interface McpBinding {
  readonly name: 'mcp';
  /** The endpoint as a reader sees it: "<url>/mcp" or "embedded:/mcp". */
  readonly endpoint: string;
  /** An agent client for `token`; every exchange goes through `observe` (the run's 429 and journal hooks). */
  client(token: string | undefined, reads: readonly ReadRoute[], observe: (ex: Exchange) => Exchange, signal: AbortSignal): AgentClient;
  /**
   * Is an MCP server there? Opens one session with `token` before any check runs; a JSON-RPC refusal is an
   * answer (yes), anything else a ToolError naming the endpoint once, instead of one error per check.
   */
  probe(token: string | undefined): Promise<void>;
  close(): Promise<void>;
}

/** A refused session: what the server answered instead (HTTP status and body). */
interface Refused { status: number; headers: Record<string, string>; text: string }
type Opened = { client: Client } | { refused: Refused };
type Opener = (token: string | undefined, headers: Record<string, string>) => Promise<Opened>;

function json(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The registry's status for a reason code (400 for codes the registry does not know: the checks call those unexpected). */
function statusOf(code: string): number {
  return statusesFor(code)[0] ?? (code === 'common.internal_error' ? 500 : 400);
}

function envelopeExchange(request: HttpExchangeRequest, started: number, status: number, body: unknown, headers: Record<string, string> = {}): Exchange {
  const text = JSON.stringify(body);
  return { request, response: { status, headers: { 'content-type': 'application/json', ...headers }, text, json: body }, durationMs: performance.now() - started };
}

/** A refusal's fields (`{code, message, details?, retryAfter?}`) as an error envelope exchange. */
function refusalExchange(request: HttpExchangeRequest, started: number, r: Record<string, unknown> | undefined, status?: number): Exchange {
  const code = typeof r?.code === 'string' ? r.code : undefined;
  if (code === undefined) {
    // No reason code where the mapping puts it: what a server without the OpenPort layer answers.
    const text = JSON.stringify(r ?? null);
    return { request, response: { status: status ?? 500, headers: { 'content-type': 'text/plain' }, text, json: undefined }, durationMs: performance.now() - started };
  }
  const body = { ok: false, code, message: typeof r?.message === 'string' ? r.message : undefined, ...(r?.details !== undefined ? { details: r.details } : {}) };
  const retry: Record<string, string> = typeof r?.retryAfter === 'number' ? { 'retry-after': String(r.retryAfter) } : {};
  return envelopeExchange(request, started, status ?? statusOf(code), body, retry);
}

function toolExchange(request: HttpExchangeRequest, started: number, res: CallToolResult): Exchange {
  const meta = (res._meta ?? {}) as Record<string, unknown>;
  if (res.isError) {
    const sc = (res.structuredContent ?? {}) as Record<string, unknown>;
    const code = typeof meta[MCP_META.code] === 'string' ? meta[MCP_META.code] : sc.code;
    return refusalExchange(request, started, { ...sc, code, ...(meta[MCP_META.retryAfter] !== undefined ? { retryAfter: meta[MCP_META.retryAfter] } : {}) });
  }
  return envelopeExchange(request, started, 200, { ok: true, code: 'common.success', data: res.structuredContent });
}

/** Turn what the SDK threw into an exchange: a refused HTTP request, a JSON-RPC error, or a tool error. */
function thrownExchange(request: HttpExchangeRequest, started: number, err: unknown, lastRefusal: Refused | undefined): Exchange {
  if (lastRefusal) return refusedExchange(request, started, lastRefusal);
  if (err instanceof McpError) {
    const data = err.data as Record<string, unknown> | undefined;
    return refusalExchange(request, started, data && typeof data.code === 'string' ? data : { jsonrpc: err.code, message: err.message });
  }
  if (err instanceof ToolError) throw err;
  throw new ToolError(`MCP ${request.body ? (JSON.parse(request.body) as { method: string }).method : 'request'} failed: ${(err as Error).message ?? String(err)}`, 'OPC_E_MCP');
}

/** A refused HTTP request (T3/T4 of the mapping): its status, the reason code from `error.data`. */
function refusedExchange(request: HttpExchangeRequest, started: number, r: Refused): Exchange {
  const body = json(r.text) as { error?: { data?: Record<string, unknown> } } | undefined;
  const data = body?.error?.data;
  if (data && typeof data.code === 'string') return refusalExchange(request, started, { ...data, ...(r.headers['retry-after'] ? { retryAfter: Number(r.headers['retry-after']) } : {}) }, r.status);
  return { request, response: { status: r.status, headers: r.headers, text: r.text, json: json(r.text) }, durationMs: performance.now() - started };
}

function createBinding(endpoint: string, open: Opener, path: string): McpBinding {
  const sessions = new Map<string, Promise<Opened>>();
  const session = (token: string | undefined, headers: Record<string, string>): Promise<Opened> => {
    const key = JSON.stringify([token ?? null, headers]);
    let s = sessions.get(key);
    if (!s) {
      s = open(token, headers);
      sessions.set(key, s);
      // A refused or failed session is not kept: the next call tries again (a rate limit passes, a token never heals).
      s.then((o) => void ('refused' in o && sessions.delete(key)), () => sessions.delete(key));
    }
    return s;
  };
  return {
    name: 'mcp',
    endpoint,
    async probe(token) {
      await session(token, {});
    },
    client(token, reads, observe, signal) {
      const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
      async function rpc(headers: Record<string, string>, run: (c: Client) => Promise<Exchange>, started: number, request: HttpExchangeRequest): Promise<Exchange> {
        const opened = await session(token, headers);
        if ('refused' in opened) return observe(refusedExchange(request, started, opened.refused));
        try {
          return observe(await run(opened.client));
        } catch (err) {
          if (err instanceof ToolError) throw err;
          const refusal = (opened.client.transport as { lastRefusal?: Refused } | undefined)?.lastRefusal;
          return observe(thrownExchange(request, started, err, refusal));
        }
      }
      const send = (method: string, params: Record<string, unknown>, headers: Record<string, string>, run: (c: Client, req: HttpExchangeRequest, started: number) => Promise<Exchange>) => {
        const started = performance.now();
        const request: HttpExchangeRequest = {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', ...auth, ...headers },
          body: JSON.stringify({ jsonrpc: '2.0', method, params }),
        };
        return rpc(headers, (c) => run(c, request, started), started, request);
      };
      const opts = { signal };
      const call = (name: string, args: Record<string, unknown> | undefined, meta?: Record<string, unknown>, headers: Record<string, string> = {}) => {
        const params = { name, ...(args === undefined ? {} : { arguments: args }), ...(meta ? { _meta: meta } : {}) };
        return send('tools/call', params, headers, async (c, req, started) => toolExchange(req, started, (await c.callTool(params, undefined, opts)) as CallToolResult));
      };
      return {
        token,
        manifest: () =>
          send('tools/list', {}, {}, async (c, req, started) => {
            const list = await c.listTools({}, opts);
            // The binding's own tools (the draft poll) are not tools of the manifest (D1).
            const tools = list.tools.filter((t) => t._meta?.[MCP_META.binding] === undefined).map((t) => ({
              name: t.name,
              description: t.description,
              ...((t._meta?.[MCP_META.tool] as object | undefined) ?? {}),
              inputSchema: t.inputSchema,
              annotations: t.annotations,
            }));
            return envelopeExchange(req, started, 200, { ok: true, code: 'common.success', data: { app: list._meta?.[MCP_META.app], tools } });
          }),
        read: (tool, q, headers) => call(tool, readCall(reads, tool, q).args, undefined, headers ?? {}),
        preflight: (action, payload) => call(action, { payload }, { [MCP_META.preflight]: true }),
        actions: ({ action, ...rest }) => call(typeof action === 'string' ? action : String(action), Object.keys(rest).length > 0 ? rest : undefined),
        draft: (id) =>
          send('resources/read', { uri: `${DRAFT_URI_PREFIX}${encodeURIComponent(id)}` }, {}, async (c, req, started) => {
            const res = await c.readResource({ uri: `${DRAFT_URI_PREFIX}${encodeURIComponent(id)}` }, opts);
            const text = res.contents[0] && 'text' in res.contents[0] ? String(res.contents[0].text) : '';
            return envelopeExchange(req, started, 200, { ok: true, code: 'common.success', data: json(text) });
          }),
        request: () => {
          throw new ToolError('this check sends raw HTTP requests (AgentClient.request) and must declare bindings: [\'http\']', 'OPC_E_CHECK_EXCEPTION');
        },
      };
    },
    async close() {
      const all = await Promise.allSettled([...sessions.values()]);
      sessions.clear();
      await Promise.allSettled(all.flatMap((s) => (s.status === 'fulfilled' && 'client' in s.value ? [s.value.client.close()] : [])));
    },
  };
}

async function connected(transport: McpTransport, timeoutMs: number): Promise<Client> {
  const client = new Client({ name: 'openport-conform', version: '1' });
  await client.connect(transport, { timeout: timeoutMs });
  return client;
}

/** Embedded: sessions over the SDK's in-memory transport to the runtime's MCP server. */
export function inMemoryBinding(runtime: Runtime, timeoutMs: number): McpBinding {
  return createBinding(`embedded:${MCP_PATH}`, async (token, headers) => {
    const s = await connectInMemory(runtime, token, '127.0.0.1', { 'user-agent': USER_AGENT, ...headers });
    if ('refused' in s) return { refused: { status: s.refused.status, headers: s.refused.headers, text: s.refused.body } };
    const client = await connected(s.transport, timeoutMs);
    return { client };
  }, MCP_PATH);
}

/** Over Streamable HTTP to `<baseUrl><path>` (default /mcp). Only the refused HTTP answer's body is read twice. */
export function httpBinding(baseUrl: string, path: string | undefined, timeoutMs: number): McpBinding {
  const mcpPath = path ?? MCP_PATH;
  if (!mcpPath.startsWith('/')) throw new ToolError(`--mcp-path must start with "/", got ${JSON.stringify(mcpPath)}`, 2);
  const url = new URL(baseUrl.replace(/\/$/, '') + mcpPath);
  return createBinding(url.href, async (token, headers) => {
    const state: { lastRefusal?: Refused } = {};
    const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const res = await fetch(input, { ...init, redirect: 'manual', signal: init?.signal ?? AbortSignal.timeout(timeoutMs) });
      if (res.status >= 300) {
        const text = await res.clone().text().catch(() => '');
        state.lastRefusal = { status: res.status, headers: Object.fromEntries([...res.headers].map(([k, v]) => [k.toLowerCase(), v])), text };
      } else state.lastRefusal = undefined;
      return res;
    };
    const transport = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { 'user-agent': USER_AGENT, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers } },
      fetch: recording,
    });
    Object.defineProperty(transport, 'lastRefusal', { get: () => state.lastRefusal });
    try {
      return { client: await connected(transport, timeoutMs) };
    } catch (err) {
      await transport.close().catch(() => undefined);
      // A refusal is a JSON-RPC error (T3); anything else (an HTML or OpenPort 404) means no MCP server is there.
      if (state.lastRefusal && (json(state.lastRefusal.text) as { jsonrpc?: unknown } | undefined)?.jsonrpc === '2.0') return { refused: state.lastRefusal };
      if (state.lastRefusal) throw new ToolError(`no MCP server at ${url.href}: initialize answered HTTP ${state.lastRefusal.status} without a JSON-RPC body (is --mcp-path right?)`, 'OPC_E_MCP');
      throw new ToolError(`cannot open an MCP session at ${url.href}: ${(err as Error).message}`, 'OPC_E_MCP');
    }
  }, url.pathname);
}
