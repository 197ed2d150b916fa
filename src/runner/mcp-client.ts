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
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import { ErrorCode, McpError, type CallToolResult, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { statusesFor } from '../protocol/codes.js';
import type { Runtime } from '../runtime/index.js';
import { DRAFT_URI_PREFIX, META as MCP_META, MCP_PATH, connectInMemory, sharedSchemaValidator } from '../runtime/mcp.js';
import { oneLine, ToolError, type AgentClient, type Exchange, type HttpExchangeRequest, type McpWire } from '../kit/check.js';
import { readCall } from '../kit/clients.js';
import { USER_AGENT } from '../kit/paths.js';
import type { ReadRoute } from '../kit/target.js';
import { CLIENT_KEEP_ALIVE, MAX_RESPONSE_BYTES, describeNetworkError } from './transport.js';
import { MCP_ACCEPT } from './mcp-accept.js';
import type { Dispatcher } from 'undici';
import { pipeline, Readable, Transform } from 'node:stream';
import { constants as zlibConstants, createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { bodyRead } from './heap.js';

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
  /**
   * Is it OpenPort over MCP? One `tools/list` with `token`: a server none of whose tools (and not the list
   * itself) carries the binding's `_meta` is a plain MCP server, said once (exit 3) instead of a finding per check.
   */
  /**
   * Opens one session and lists the tools before any check: a plain MCP server is said once (exit 3). Returns
   * the refusal when the session was refused (its status and reason code), else the tools the list named.
   */
  openPort(token: string | undefined): Promise<{ refused: { status: number; code?: string } } | { tools: string[] }>;
  /**
   * The same endpoint, its sessions opened from client address `ip` (a socket bound to it; embedded: the
   * address the runtime is told), for the per-client-IP rate limit (E3 of the mapping). Made once per address
   * and closed with this binding.
   */
  fromAddress(ip: string): McpBinding;
  close(): Promise<void>;
}

/** A refused session: what the server answered instead (HTTP status and body). */
interface Refused { status: number; headers: Record<string, string>; text: string }
/** An open session: its client, its wiretap, and the last HTTP refusal it saw (over Streamable HTTP). */
interface Session { client: Client; tap: Wiretap; lastRefusal(): Refused | undefined; end?(): Promise<void> }
/** A refused session open and its `initialize` on the wire (journaled as the exchange of the call it refused). */
type Opened = Session | { refused: Refused; wire: McpWire[] };
type Opener = (token: string | undefined, headers: Record<string, string>) => Promise<Opened>;
/** Where the wire exchanges that belong to no check's call go (session opens, notifications): the run's journal. */
export type OnWire = (wire: McpWire) => void;


/**
 * One call of a check in flight: the SDK hands its tag (`onresumptiontoken`, which it passes to the transport
 * with the message and calls only for resumable event streams) to the transport's send, so the wiretap learns
 * the JSON-RPC id the SDK gave the call and keeps the call's wire exchange for it instead of the run's journal.
 */
interface Call { id?: string | number; wire?: McpWire; error?: Error; fail(e: Error): void }

/** The JSON-RPC method of a message (or `response`, `batch`) and, for tools/call, the tool. */
function rpcOf(msg: unknown): { rpc: string; tool?: string } {
  if (Array.isArray(msg)) return { rpc: 'batch' };
  const m = msg as { method?: unknown; params?: { name?: unknown } } | undefined;
  if (typeof m?.method !== 'string') return { rpc: 'response' };
  return { rpc: m.method, ...(m.method === 'tools/call' && typeof m.params?.name === 'string' ? { tool: m.params.name } : {}) };
}

function idOf(msg: unknown): string | number | undefined {
  const m = msg as { id?: unknown; method?: unknown } | undefined;
  return typeof m?.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number') ? m.id : undefined;
}

/** The wire exchanges of one session: a call claims its own by id, everything else goes to the run (OnWire). */
class Wiretap {
  readonly tags = new WeakMap<object, Call>();
  private readonly calls = new Map<string | number, Call>();
  constructor(readonly onWire: OnWire) {}

  /** The SDK sends `msg` with `opts`: a tagged request is a check's call. */
  sent(msg: JSONRPCMessage, opts: { onresumptiontoken?: unknown } | undefined): void {
    const call = opts?.onresumptiontoken ? this.tags.get(opts.onresumptiontoken as object) : undefined;
    const id = idOf(msg);
    if (call && id !== undefined) {
      call.id = id;
      this.calls.set(id, call);
    }
  }

  /** The call a wire exchange carrying `msg` belongs to, if any. */
  claim(msg: unknown, wire: McpWire): Call | undefined {
    const id = idOf(msg);
    const call = id === undefined ? undefined : this.calls.get(id);
    if (call) call.wire = wire;
    return call;
  }

  done(call: Call): void {
    if (call.id !== undefined) this.calls.delete(call.id);
  }
}

/**
 * The SDK's transport with a tap on what it sends (and, in memory, receives), so that every JSON-RPC message
 * reaches the journal as it was.
 */
class TappedTransport implements McpTransport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: McpTransport['onmessage'];
  constructor(
    private readonly inner: McpTransport,
    private readonly tap: Wiretap,
    private readonly received?: (msg: JSONRPCMessage) => void,
  ) {}

  async start(): Promise<void> {
    this.inner.onmessage = (msg, extra) => {
      this.received?.(msg);
      this.onmessage?.(msg, extra);
    };
    this.inner.onclose = () => this.onclose?.();
    this.inner.onerror = (e) => this.onerror?.(e);
    await this.inner.start();
  }

  send(msg: JSONRPCMessage, opts?: Parameters<McpTransport['send']>[1]): Promise<void> {
    this.tap.sent(msg, opts);
    return this.inner.send(msg, opts);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }
}

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

function createBinding(endpoint: string, open: Opener, path: string, onWire: OnWire, timeoutMs: number, fromAddress: (ip: string) => McpBinding): McpBinding {
  const sessions = new Map<string, Promise<Opened>>();
  const elsewhere = new Map<string, McpBinding>();
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
  const probe = async (token: string | undefined): Promise<Opened> => {
    const opened = await session(token, {});
    // The probe belongs to no check: its refused `initialize` is the run's own exchange.
    if ('refused' in opened) for (const w of opened.wire) onWire(w);
    return opened;
  };
  return {
    name: 'mcp',
    endpoint,
    async probe(token) {
      await probe(token);
    },
    async openPort(token) {
      const opened = await probe(token);
      if ('refused' in opened) {
        const code = (json(opened.refused.text) as { error?: { data?: { code?: unknown } } } | undefined)?.error?.data?.code;
        return { refused: { status: opened.refused.status, ...(typeof code === 'string' ? { code } : {}) } };
      }
      let list: Awaited<ReturnType<Client['listTools']>>;
      try {
        list = await opened.client.listTools({}, { timeout: timeoutMs });
      } catch (e) {
        if (e instanceof ToolError) throw e;
        const said = oneLine(e);
        throw new ToolError(`${endpoint}: tools/list ${said.startsWith('is not') ? said : `failed: ${said}`}`, 'OPC_E_MCP');
      }
      // The manifest's tools, as over HTTP: the binding's own (the draft poll) are not the server's domain.
      if (list._meta?.[MCP_META.app] !== undefined || list.tools.some((t) => t._meta?.[MCP_META.tool] !== undefined)) return { tools: list.tools.filter((t) => t._meta?.[MCP_META.binding] === undefined).map((t) => t.name) };
      throw new ToolError(
        `${endpoint} is an MCP server but not OpenPort over MCP: none of its ${list.tools.length} tool(s) carries _meta["${MCP_META.tool}"] and tools/list carries no _meta["${MCP_META.app}"] (docs/mcp-binding.md)`,
        'OPC_E_UNREACHABLE',
      );
    },
    fromAddress(ip) {
      let b = elsewhere.get(ip);
      if (!b) elsewhere.set(ip, (b = fromAddress(ip)));
      return b;
    },
    client(token, reads, observe, signal) {
      const auth: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
      const withWire = (ex: Exchange, wire: McpWire | undefined): Exchange => (wire ? { ...ex, mcp: wire } : ex);
      const send = async (method: string, params: Record<string, unknown>, headers: Record<string, string>, run: (c: Client, req: HttpExchangeRequest, started: number, opts: RequestOptions) => Promise<Exchange>) => {
        const started = performance.now();
        const request: HttpExchangeRequest = {
          method: 'POST',
          path,
          headers: { 'content-type': 'application/json', ...auth, ...headers },
          body: JSON.stringify({ jsonrpc: '2.0', method, params }),
        };
        const opened = await session(token, headers);
        if ('refused' in opened) return observe(withWire(refusedExchange(request, started, opened.refused), opened.wire[0]));
        // A signal of the call's own, linked to the check's only while the call is in flight: the SDK never
        // forgets a signal's abort listener, and the check's signal aborts when the check ends — without this,
        // every completed call would be followed by a notifications/cancelled for it.
        const own = new AbortController();
        const onAbort = () => own.abort(signal.reason);
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
        const call: Call = {
          fail(e) {
            call.error = e;
            own.abort(e);
          },
        };
        const tag = () => undefined;
        opened.tap.tags.set(tag, call);
        try {
          return observe(withWire(await run(opened.client, request, started, { signal: own.signal, timeout: timeoutMs, onresumptiontoken: tag }), call.wire));
        } catch (err) {
          if (call.error) throw call.error;
          if (err instanceof ToolError) throw err;
          // The SDK gave up on a call the server never answered (its own timeout, a closed connection): that
          // is no answer, never a refusal by the server.
          if (!call.wire?.response && err instanceof McpError && SDK_LOCAL.has(err.code)) {
            const timedOut = err.code === ErrorCode.RequestTimeout;
            throw new ToolError(`MCP ${method}${typeof params.name === 'string' ? ` ${params.name}` : ''}: no answer${timedOut ? ` within ${timeoutMs} ms (--timeout)` : ` (${err.message})`}`, timedOut ? 'OPC_E_TIMEOUT' : 'OPC_E_CONNECTION_CLOSED');
          }
          // The call's own HTTP answer says whether the request was refused; the session's last refusal (another
          // call's, when several are in flight) only when the wire of this one is unknown.
          const answer = call.wire?.response;
          const refusal = call.wire ? (answer && answer.status >= 300 ? answer : undefined) : opened.lastRefusal();
          return observe(withWire(thrownExchange(request, started, err, refusal), call.wire));
        } finally {
          signal.removeEventListener('abort', onAbort);
          opened.tap.done(call);
        }
      };
      const call = (name: string, args: Record<string, unknown> | undefined, meta?: Record<string, unknown>, headers: Record<string, string> = {}) => {
        const params = { name, ...(args === undefined ? {} : { arguments: args }), ...(meta ? { _meta: meta } : {}) };
        return send('tools/call', params, headers, async (c, req, started, opts) => toolExchange(req, started, (await c.callTool(params, undefined, opts)) as CallToolResult));
      };
      return {
        token,
        manifest: () =>
          send('tools/list', {}, {}, async (c, req, started, opts) => {
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
          send('resources/read', { uri: `${DRAFT_URI_PREFIX}${encodeURIComponent(id)}` }, {}, async (c, req, started, opts) => {
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
      await Promise.allSettled([...elsewhere.values()].map((b) => b.close()));
      elsewhere.clear();
      const all = await Promise.allSettled([...sessions.values()]);
      sessions.clear();
      // Each session is ended on the server (DELETE, where it offers that) before the client lets it go: a
      // server keeps a bounded table of sessions per key, and a run opens one per persona and header set.
      const end = async (s: Session) => {
        await s.end?.().catch(() => undefined);
        await s.client.close();
      };
      await Promise.allSettled(all.flatMap((s) => (s.status === 'fulfilled' && 'client' in s.value ? [end(s.value)] : [])));
    },
  };
}

async function connected(transport: McpTransport, timeoutMs: number): Promise<Client> {
  const client = new Client({ name: 'openport-conform', version: '1' }, { jsonSchemaValidator: sharedSchemaValidator() });
  await client.connect(transport, { timeout: timeoutMs });
  return client;
}

/** The headers a Streamable HTTP client sends with every POST (in memory: those it would send). */
function postHeaders(token: string | undefined, headers: Record<string, string>): Record<string, string> {
  return { 'content-type': 'application/json', accept: MCP_ACCEPT, 'user-agent': USER_AGENT, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers };
}

/**
 * Embedded: sessions over the SDK's in-memory transport to the runtime's MCP server. Each JSON-RPC message is
 * journaled as Streamable HTTP would carry it (a POST to /mcp; a request answered 200, a notification 202).
 */
export function inMemoryBinding(runtime: Runtime, timeoutMs: number, onWire: OnWire = () => undefined, clientIp = '127.0.0.1'): McpBinding {
  return createBinding(`embedded:${MCP_PATH}`, async (token, headers) => {
    const request = (msg: JSONRPCMessage): HttpExchangeRequest => ({ method: 'POST', path: MCP_PATH, headers: postHeaders(token, headers), body: JSON.stringify(msg) });
    const s = await connectInMemory(runtime, token, clientIp, { 'user-agent': USER_AGENT, ...headers });
    if ('refused' in s) {
      const refused = { status: s.refused.status, headers: s.refused.headers, text: s.refused.body };
      const init = { jsonrpc: '2.0' as const, id: 0, method: 'initialize' };
      return { refused, wire: [{ rpc: 'initialize', request: request(init), response: refused, durationMs: 0 }] };
    }
    const tap = new Wiretap(onWire);
    const pending = new Map<string | number, { wire: McpWire; call?: Call; started: number }>();
    const transport = new TappedTransport(s.transport, tap, (msg) => {
      const id = (msg as { id?: unknown }).id;
      const p = typeof id === 'string' || typeof id === 'number' ? pending.get(id) : undefined;
      if (!p || !('result' in msg || 'error' in msg)) return;
      pending.delete(id as string | number);
      p.wire.response = { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(msg) };
      p.wire.durationMs = performance.now() - p.started;
      if (!p.call) onWire(p.wire);
    });
    const send = transport.send.bind(transport);
    transport.send = async (msg, opts) => {
      const wire: McpWire = { ...rpcOf(msg), request: request(msg), durationMs: 0 };
      // The tap learns the call's id as the message is handed on, before any answer can come back.
      const sent = send(msg, opts);
      const id = idOf(msg);
      if (id !== undefined) pending.set(id, { wire, call: tap.claim(msg, wire), started: performance.now() });
      else if ('method' in msg) onWire({ ...wire, response: { status: 202, headers: {}, text: '' } });
      await sent;
    };
    const client = await connected(transport, timeoutMs);
    return { client, tap, lastRefusal: () => undefined };
  }, MCP_PATH, onWire, timeoutMs, (ip) => inMemoryBinding(runtime, timeoutMs, onWire, ip));
}

/** Statuses whose response has no body (a Response built with one throws). */
const NULL_BODY = new Set([101, 204, 205, 304]);
/** Errors the SDK raises itself when a call gets no answer; a server's own JSON-RPC error comes with its HTTP answer. */
const SDK_LOCAL = new Set<number>([ErrorCode.RequestTimeout, ErrorCode.ConnectionClosed]);

function headerRecord(h: Headers | Iterable<[string, string]> | Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new Headers(h as HeadersInit | undefined)) out[k.toLowerCase()] = v;
  return out;
}

/**
 * The decoders of a Content-Encoding, in the order they apply (the last coding listed is undone first), as
 * fetch would; none for an identity or unknown coding (the body is passed on as it came, as fetch does).
 */
function decodersOf(coding: string | undefined): Transform[] {
  const out: Transform[] = [];
  for (const c of (coding ?? '').toLowerCase().split(',').map((x) => x.trim()).filter(Boolean).reverse()) {
    if (c === 'gzip' || c === 'x-gzip') out.push(createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH }));
    else if (c === 'deflate') out.push(inflater());
    else if (c === 'br') out.push(createBrotliDecompress({ finishFlush: zlibConstants.BROTLI_OPERATION_FLUSH }));
    else if (c !== 'identity') return [];
  }
  return out;
}

/** HTTP's "deflate" is zlib-wrapped; some servers send raw deflate: the first byte tells which. */
function inflater(): Transform {
  let inner: Transform | undefined;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      if (chunk.length === 0) return cb();
      if (!inner) {
        inner = (chunk[0]! & 0x0f) === 0x08 ? createInflate({ finishFlush: zlibConstants.Z_SYNC_FLUSH }) : createInflateRaw({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
        inner.on('data', (d: Buffer) => this.push(d)).on('error', (e) => this.destroy(e));
        this.once('close', () => inner!.destroy());
      }
      inner.write(chunk, () => cb());
    },
    flush(cb) {
      if (!inner) return cb();
      inner.once('end', () => cb()).end();
    },
  });
}

/** A decoder that stops once it has put out more than `cap` bytes: a bomb inflates no further than that. */
function bounded(stage: Transform, cap: number, tooLarge: () => Error): Transform {
  let size = 0;
  const push = stage.push.bind(stage);
  stage.push = (chunk: unknown, encoding?: BufferEncoding) => {
    if (chunk != null && (size += (chunk as Buffer).length) > cap) {
      stage.destroy(tooLarge());
      return false;
    }
    return push(chunk, encoding);
  };
  return stage;
}

/**
 * The body of one response, decoded as its Content-Encoding says and read at most MAX_RESPONSE_BYTES (the HTTP
 * binding's cap), counted after decompression at every stage — so a compressed bomb stops at the same size as a
 * plain body, without inflating further — and kept as text for the journal. `end` is called once: at the end
 * of the body, on its error, or when the reader lets it go.
 */
function capped(raw: Readable, coding: string | undefined, what: string, onText: (t: string) => void, end: (err?: Error) => void): ReadableStream<Uint8Array> {
  const tooLarge = () => new ToolError(`${what}: response body exceeds ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB (after decompression); refusing to read further`, 'OPC_E_RESPONSE_TOO_LARGE');
  const stages = decodersOf(coding).map((s) => bounded(s, MAX_RESPONSE_BYTES, tooLarge));
  const decoder = new TextDecoder();
  let ended = false;
  let size = 0;
  const stop = () => {
    raw.destroy();
    for (const s of stages) s.destroy();
  };
  /** Ends the body once, whatever ended it; what was read of it counts towards the next collection (heap.ts). */
  const finish = (err?: Error) => {
    ended = true;
    end(err);
    bodyRead(size);
  };
  return new ReadableStream<Uint8Array>({
    start(ctl) {
      const fail = (e: Error) => {
        if (ended) return;
        const err = e.name === 'TimeoutError' ? new ToolError(`${what} timed out without a complete response (--timeout bounds each request, headers and body)`, 'OPC_E_TIMEOUT')
          // zlib's own errors (Z_DATA_ERROR, brotli's ERR__ERROR_FORMAT_…): the body is not in the coding it names.
          : /^(Z_|ERR__ERROR_)/.test(String((e as { code?: unknown }).code ?? '')) ? new ToolError(`${what}: the body is not valid ${coding} (${e.message})`, 'OPC_E_MCP') : e;
        stop();
        finish(err);
        ctl.error(err);
      };
      // The whole body is at most the cap, so it flows without waiting for the reader.
      const last: Readable = stages.length === 0 ? raw : (pipeline([raw, ...stages], (err) => err && fail(err)) as unknown as Readable);
      last.on('data', (chunk: Buffer) => {
        if (ended) return;
        if ((size += chunk.length) > MAX_RESPONSE_BYTES) return fail(tooLarge());
        onText(decoder.decode(chunk, { stream: true }));
        ctl.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      last.on('end', () => {
        if (ended) return;
        onText(decoder.decode());
        finish();
        ctl.close();
      });
      last.on('error', fail);
    },
    cancel() {
      if (!ended) finish();
      stop();
    },
  });
}

/**
 * Over Streamable HTTP to `<baseUrl><path>` (default /mcp), through undici with the HTTP binding's limits: a
 * deadline of --timeout on every POST (headers and body), MAX_RESPONSE_BYTES on every body after
 * decompression, no redirect followed. Every HTTP request the SDK sends is journaled as it went (OnWire, or as
 * the exchange of the check's call it carries).
 */
export function httpBinding(baseUrl: string, path: string | undefined, timeoutMs: number, onWire: OnWire = () => undefined, localAddress?: string): McpBinding {
  const mcpPath = path ?? MCP_PATH;
  if (!mcpPath.startsWith('/')) throw new ToolError(`--mcp-path must start with "/", got ${JSON.stringify(mcpPath)}`, 2);
  const url = new URL(baseUrl.replace(/\/$/, '') + mcpPath);
  let pool: import('undici').Agent | undefined;
  return createBinding(url.href, async (token, headers) => {
    const { Agent } = await import('undici');
    // One connection pool for all the binding's sessions, with the HTTP binding's keep-alive rule.
    const dispatcher = (pool ??= new Agent({ ...CLIENT_KEEP_ALIVE, ...(localAddress ? { localAddress } : {}) }));
    const state: { lastRefusal?: Refused } = {};
    const tap = new Wiretap(onWire);
    /** The refused `initialize` of a session that never opened: the exchange of the call it refused. */
    const opening: McpWire[] = [];
    let opened = false;
    const wired = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
      const started = performance.now();
      const method = (init.method ?? 'GET').toUpperCase();
      const target = new URL(input instanceof Request ? input.url : String(input));
      const body = typeof init.body === 'string' ? init.body : undefined;
      const msg = body === undefined ? undefined : json(body);
      const wire: McpWire = { ...(method === 'POST' ? rpcOf(msg) : { rpc: method === 'GET' ? 'event stream' : 'session end' }), request: { method, path: target.pathname + target.search, headers: headerRecord(init.headers as HeadersInit), ...(body !== undefined ? { body } : {}) }, durationMs: 0 };
      const call = tap.claim(msg, wire);
      const initializing = wire.rpc === 'initialize';
      const done = (err?: Error) => {
        wire.durationMs = performance.now() - started;
        if (err && !wire.response) wire.error = err.message;
        if (err && call) call.fail(err);
        if (call) return;
        if (initializing && !opened && (wire.response?.status ?? 0) >= 300) opening.push(wire);
        else onWire(wire);
      };
      const what = `${method} ${target.href}`;
      // The GET event stream is open as long as the session: only the byte cap bounds it.
      const signals = [init.signal, method === 'GET' ? undefined : AbortSignal.timeout(timeoutMs)].filter((s): s is AbortSignal => s != null);
      let res: Dispatcher.ResponseData;
      try {
        // undici's request, not its fetch: the body arrives as sent, and capped() decodes it within the cap.
        res = await dispatcher.request({ origin: target.origin, path: target.pathname + target.search, method: method as Dispatcher.HttpMethod, headers: headerRecord(init.headers as HeadersInit), body, signal: AbortSignal.any(signals) });
      } catch (e) {
        // In the HTTP binding's words and codes (timeout, connection closed, unreachable).
        const err = (e as Error).name === 'TimeoutError' ? new ToolError(`${what} timed out after ${timeoutMs} ms without a response (--timeout)`, 'OPC_E_TIMEOUT') : describeNetworkError(e, url.origin, { method, path: target.pathname, headers: {} }, timeoutMs);
        done(err);
        throw err;
      }
      if (res.statusCode < 200 || res.statusCode > 599) {
        // No response a client can hand on (a 1xx the exchange did not switch to, or no HTTP status at all).
        res.body.destroy();
        const err = new ToolError(`${what} answered with status ${res.statusCode}, which no final HTTP response has`, 'OPC_E_MCP');
        done(err);
        throw err;
      }
      const resHeaders = headerRecord(Object.entries(res.headers).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
      const response = { status: res.statusCode, headers: resHeaders, text: '' };
      wire.response = response;
      const nullBody = NULL_BODY.has(res.statusCode) || method === 'HEAD';
      if (nullBody) res.body.resume();
      const stream = nullBody ? null : capped(res.body, resHeaders['content-encoding'], what, (t) => void (response.text += t), done);
      if (!stream) done();
      // What the SDK reads is the decoded body.
      const { 'content-encoding': _coding, 'content-length': _length, ...decoded } = resHeaders;
      // A reason phrase Response would refuse (a control character) is left out: the SDK only quotes it.
      const init2 = { status: res.statusCode, statusText: /^[\t\x20-\x7e\x80-\xff]*$/.test(res.statusText ?? '') ? res.statusText : '', headers: decoded };
      if (res.statusCode >= 300) {
        // A refusal is read whole (within the cap) before the SDK sees it: its body says why.
        const text = stream ? await new Response(stream).text() : '';
        state.lastRefusal = { status: res.statusCode, headers: resHeaders, text };
        return new Response(nullBody ? null : text, init2);
      }
      state.lastRefusal = undefined;
      return new Response(stream, init2);
    };
    const inner = new StreamableHTTPClientTransport(url, {
      requestInit: { headers: { 'user-agent': USER_AGENT, ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), ...headers } },
      fetch: wired,
    });
    const transport = new TappedTransport(inner, tap);
    try {
      const client = await connected(transport, timeoutMs);
      opened = true;
      return { client, tap, lastRefusal: () => state.lastRefusal, end: () => inner.terminateSession() };
    } catch (err) {
      await transport.close().catch(() => undefined);
      // A refusal is a JSON-RPC error (T3); anything else (an HTML or OpenPort 404) means no MCP server is there.
      if (state.lastRefusal && (json(state.lastRefusal.text) as { jsonrpc?: unknown } | undefined)?.jsonrpc === '2.0') return { refused: state.lastRefusal, wire: opening };
      for (const w of opening) onWire(w);
      if (err instanceof ToolError) throw new ToolError(`cannot open an MCP session at ${url.href}: ${err.message}`, err.code);
      if (state.lastRefusal) throw new ToolError(`no MCP server at ${url.href}: initialize answered HTTP ${state.lastRefusal.status} without a JSON-RPC body (is --mcp-path right?)`, 'OPC_E_MCP');
      throw new ToolError(`cannot open an MCP session at ${url.href}: ${(err as Error).message}`, 'OPC_E_MCP');
    }
  }, url.pathname, onWire, timeoutMs, (ip) => httpBinding(baseUrl, path, timeoutMs, onWire, ip));
}
