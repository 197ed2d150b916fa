/**
 * Transports carry one request and return the exchange. HttpTransport speaks HTTP through undici (which only
 * src/runner imports: here, and the MCP client's fetch); InProcessTransport calls the reference runtime's
 * handler without sockets. Both keep a bounded log of everything they saw, which 'final' checks read through
 * ctx.observed().
 */
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import type { Pool } from 'undici';
import type { Runtime } from '../runtime/types.js';
import { isAuditRoute } from '../protocol/types.js';
import { ToolError, type Exchange, type HttpExchangeRequest, type HttpExchangeResponse } from '../kit/check.js';
import type { Journal, JournalEntry } from './journal.js';
import { bodyRead } from './heap.js';

export interface Transport {
  /** Base URL as given (no trailing slash), or "embedded:" for the in-process runtime. */
  readonly baseUrl: string;
  readonly embedded: boolean;
  send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange>;
  /** A bounded sample of the exchanges observed (the most recent, oldest first). */
  observed(): readonly Exchange[];
  /** How many exchanges of the run are not in observed() any more (the sample's bounds dropped them). */
  unobserved(): number;
  /**
   * Keeps an exchange another binding carried (an MCP call, journaled as it went) in the sample, so that the
   * checks looking back at the run's traffic see the agent plane on every binding.
   */
  keep(ex: Exchange): void;
  /**
   * The same target from a second client address, sharing this transport's sample and journal: embedded, the
   * runtime is told another client IP; over HTTP to an IPv4 loopback target, connections bind another
   * loopback address (when this OS lets them). Otherwise `why` says what is missing.
   */
  secondAddress(): Promise<{ transport: Transport; ip: string } | { why: string }>;
  close(): Promise<void>;
}

/** Bounds of the in-memory sample: a count, and the bytes of request and response text it holds. */
export const OBSERVATION_LIMIT = 20_000;
export const OBSERVATION_BYTES = 32 * 1024 * 1024;
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;
/**
 * How the judge keeps connections alive (both bindings). A server closing an idle connection just as the
 * client reuses it makes a request fail that the server never read; only a request safe to repeat can be
 * sent again. So the client gives up an idle connection well before the server would: after at most 4 s,
 * and 2 s before the end of the server's advertised `Keep-Alive: timeout` (undici's idle timers tick
 * coarsely, and a loaded machine runs them late). Our own runtime keeps idle connections for far longer
 * (SERVER_KEEP_ALIVE_MS of src/runtime/server.ts).
 */
export const CLIENT_KEEP_ALIVE = { keepAliveTimeout: 4_000, keepAliveMaxTimeout: 4_000, keepAliveTimeoutThreshold: 2_000 } as const;

/**
 * undici's connection pool (the class the package exports as `Pool`), loaded on the first request: from its own
 * module, since the package's entry also loads every other API it has (fetch, WebSocket, caches, mocks), about
 * three times the start-up of the pool; from the entry when a release of undici no longer lets that module be
 * loaded by its path. An embedded run loads none of it.
 */
export function undiciPool(): typeof Pool {
  const require = createRequire(import.meta.url);
  try {
    return require('undici/lib/dispatcher/pool.js') as typeof Pool;
  } catch {
    return (require('undici') as typeof import('undici')).Pool;
  }
}
/**
 * The audit listing's own cap: a long-lived server may return its whole history on every read (the authors'
 * runtime does, and the brief gives GET /audit no filter), and that size must not decide the verdict. The
 * journal keeps such bodies as a digest, a size and a sample of their events (journal.ts), never whole.
 */
export const MAX_AUDIT_RESPONSE_BYTES = 256 * 1024 * 1024;
/** Parsed JSON is kept only for bodies up to this size; larger ones are parsed again on each read. */
const MEMO_JSON_BYTES = 64 * 1024;

/**
 * The bounded sample behind observed(). Every exchange also goes to the journal (when the run has one),
 * which is the complete record; the sample only serves checks that look back at the run's traffic.
 */
class ObservationLog {
  /** Slots before `head` are dropped (undefined). */
  private items: (Exchange | undefined)[] = [];
  private sizes: number[] = [];
  private head = 0;
  private bytes = 0;
  private seen = 0;

  constructor(
    private readonly journal: Journal | undefined,
    private readonly limits = { count: OBSERVATION_LIMIT, bytes: OBSERVATION_BYTES },
  ) {}

  add(ex: Exchange): void {
    const seq = this.journal?.append(ex.request, { exchange: ex });
    if (seq !== undefined) ex.seq = seq;
    this.keep(ex);
  }

  /** Into the sample only: `ex` is journaled already. */
  keep(ex: Exchange): void {
    this.seen++;
    // An MCP exchange holds the wire's text beside the envelope view the checks read.
    const size = ex.response.text.length + (ex.request.body?.length ?? 0) + (ex.mcp?.response?.text.length ?? 0) + 512;
    this.items.push(ex);
    this.sizes.push(size);
    this.bytes += size;
    while (this.items.length - this.head > this.limits.count || (this.bytes > this.limits.bytes && this.items.length - this.head > 1)) {
      this.bytes -= this.sizes[this.head]!;
      // Let go of the exchange now, not at the next compaction: a dropped 4 MiB body must not stay alive.
      this.items[this.head] = undefined;
      this.head++;
    }
    // Compact in batches so recording stays O(1) amortized.
    if (this.head > 1_000 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.sizes = this.sizes.slice(this.head);
      this.head = 0;
    }
  }

  failed(req: HttpExchangeRequest, error: string, durationMs: number): void {
    this.journal?.append(req, { error, durationMs });
  }

  all(): readonly Exchange[] {
    return this.items.slice(this.head) as Exchange[];
  }

  unobserved(): number {
    return this.seen - (this.items.length - this.head);
  }
}

/**
 * Responses nested deeper than this are treated as not JSON: no envelope needs it, and parsing a hostile
 * 600 KB `[[[[…` builds hundreds of thousands of objects every time a check reads it.
 */
export const MAX_JSON_DEPTH = 1_000;

function deeperThan(text: string, max: number): boolean {
  // Most bodies hold fewer brackets than the limit in all, which a few native searches show without
  // walking every character.
  let opened = 0;
  for (const open of ['[', '{']) {
    for (let at = text.indexOf(open); at >= 0 && opened <= max; at = text.indexOf(open, at + 1)) opened++;
  }
  if (opened <= max) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > max) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

function parseJson(text: string, deep = text.length > 2 * MAX_JSON_DEPTH && deeperThan(text, MAX_JSON_DEPTH)): unknown {
  if (deep || text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * A response whose `json` is parsed on first read; only small bodies keep the parsed value. A large body keeps
 * whether it is too deep (walked once), and its parsed value only weakly: while a reader still holds it,
 * the next read gets the same value without parsing again, and once none does it is collected.
 */
function responseOf(status: number, headers: Record<string, string>, text: string): HttpExchangeResponse {
  let memo: { v: unknown } | undefined;
  let deep: boolean | undefined;
  let held: WeakRef<object> | undefined;
  return {
    status,
    headers,
    text,
    get json() {
      if (memo) return memo.v;
      if (text.length <= MEMO_JSON_BYTES) {
        memo = { v: parseJson(text) };
        return memo.v;
      }
      const kept = held?.deref();
      if (kept !== undefined) return kept;
      deep ??= deeperThan(text, MAX_JSON_DEPTH);
      const v = parseJson(text, deep);
      if (typeof v === 'object' && v !== null) held = new WeakRef(v);
      return v;
    },
  };
}

/** An exchange as the journal kept it (redacted), for checks that must see every exchange of a run. */
export function exchangeFromJournal(e: JournalEntry & { response: NonNullable<JournalEntry['response']> }): Exchange {
  const { status, headers, body, echoed, elided, envelope, framing } = e.response;
  // An elided body is a success envelope the journal kept a sample of: its ok and code are what a check of
  // every exchange can judge; `data: null` stands for the rest (see HttpExchangeResponse.elided).
  const response: HttpExchangeResponse = elided && envelope ? { status, headers, text: body, json: { ok: envelope.ok, code: envelope.code, data: null }, elided } : responseOf(status, headers, body);
  if (echoed) response.echoed = echoed;
  if (framing) response.framing = framing;
  const { method, path, headers: requestHeaders, body: requestBody } = e.request;
  return { request: { method, path, headers: requestHeaders, ...(requestBody !== undefined ? { body: requestBody } : {}) }, response, durationMs: e.durationMs, seq: e.seq };
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Raw header lines as undici's core hands them (name, value, name, value, …) flattened as flattenHeaders does. */
function rawHeaders(raw: Buffer[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const k = raw[i]!.toString('latin1').toLowerCase();
    const v = raw[i + 1]!.toString('latin1');
    out[k] = Object.hasOwn(out, k) ? `${out[k]}, ${v}` : v;
  }
  return out;
}

/** Parse and validate a target URL: http(s) only, no credentials, no query. Returns origin and path prefix. */
export function parseBaseUrl(url: string): { origin: string; prefix: string; baseUrl: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new ToolError(`invalid target URL ${JSON.stringify(url)}: expected http://host:port`, 2);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ToolError(`invalid target URL ${url}: only http and https are supported`, 2);
  if (u.username || u.password) throw new ToolError(`invalid target URL ${u.origin}: credentials in the URL are not accepted; use --token and --admin-header`, 2);
  if (u.search || u.hash) throw new ToolError(`invalid target URL ${url}: no query or fragment expected`, 2);
  const prefix = u.pathname.replace(/\/+$/, '');
  return { origin: u.origin, prefix, baseUrl: u.origin + prefix };
}

/** Did the server answer with a message that is not valid HTTP/1.1 (as opposed to not answering)? */
function framingError(err: unknown): string | undefined {
  const e = err as { code?: unknown; name?: string; message?: string };
  if (e.name === 'HTTPParserError' || e.code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || e.code === 'UND_ERR_HEADERS_OVERFLOW' || (typeof e.code === 'string' && e.code.startsWith('HPE_'))) {
    return e.message || String(e.code);
  }
  return undefined;
}

/** Bytes read at most to find a broken answer's first line, and how long to wait for them. */
const FIRST_LINE_BYTES = 1024;
const FIRST_LINE_MS = 2_000;

/** Send `req` once more on a raw socket and return the first line of whatever comes back (printable, bounded). */
function rawFirstLine(origin: string, path: string, req: HttpExchangeRequest): Promise<string | undefined> {
  const u = new URL(origin);
  return new Promise((resolve) => {
    let got = Buffer.alloc(0);
    const done = (line: string | undefined) => {
      socket.destroy();
      resolve(line);
    };
    const socket = connect({ host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)) });
    socket.setTimeout(FIRST_LINE_MS, () => done(got.length ? firstLineOf(got) : undefined));
    socket.on('error', () => done(got.length ? firstLineOf(got) : undefined));
    socket.on('data', (d: Buffer) => {
      got = Buffer.concat([got, d]);
      if (got.includes(0x0a) || got.length >= FIRST_LINE_BYTES) done(firstLineOf(got));
    });
    socket.on('end', () => done(got.length ? firstLineOf(got) : undefined));
    const headers = Object.entries({ ...req.headers, host: u.host, connection: 'close' }).map(([k, v]) => `${k}: ${v}\r\n`).join('');
    socket.write(`${req.method} ${path} HTTP/1.1\r\n${headers}\r\n`);
  });
}

/** True when a connection from `localAddress` to host:port opens within `timeoutMs`; else the reason. */
function bindsTo(host: string, port: number, localAddress: string, timeoutMs: number): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, localAddress });
    const done = (v: true | string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(v);
    };
    const timer = setTimeout(() => done(`no connection within ${timeoutMs} ms`), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? e.message));
  });
}

function firstLineOf(b: Buffer): string {
  const line = b.subarray(0, FIRST_LINE_BYTES).toString('latin1').split(/\r?\n/)[0]!;
  return JSON.stringify(line.length > 200 ? `${line.slice(0, 200)}…` : line).slice(1, -1);
}

export function describeNetworkError(err: unknown, baseUrl: string, req: HttpExchangeRequest, timeoutMs: number): ToolError {
  type Cause = { code?: unknown; name?: string; message?: string; cause?: unknown; errors?: unknown[] };
  const e = err as Cause;
  // fetch wraps what happened ("fetch failed"): its cause, or the first of several (an AggregateError), says it.
  const chain: Cause[] = [];
  for (let c: Cause | undefined = e; c && chain.length < 5; c = (c.cause ?? c.errors?.[0]) as Cause | undefined) chain.push(c);
  const code = chain.map((c) => c.code).find((c): c is string => typeof c === 'string');
  const where = `${req.method} ${baseUrl}${req.path.split('?')[0]}`;
  if (e.name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ToolError(`${where} timed out after ${timeoutMs} ms without a complete response (--timeout bounds each request, headers and body)`, 'OPC_E_TIMEOUT');
  }
  if (e.name === 'AbortError' || code === 'UND_ERR_ABORTED') return new ToolError(`${req.method} ${req.path} aborted`, 'OPC_E_ABORTED');
  // The request itself is unsendable (e.g. a control character in a header): the target is not at fault.
  if (code === 'UND_ERR_INVALID_ARG') return new ToolError(`${req.method} ${req.path}: cannot send this request over HTTP: ${e.message}`, 'OPC_E_REQUEST_UNSENDABLE');
  if (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE') return new ToolError(`${where}: the server closed the connection before a complete response (${code})`, 'OPC_E_CONNECTION_CLOSED');
  if (code && /^(?:E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(code)) return new ToolError(`cannot reach ${baseUrl}: ${code}`, 'OPC_E_UNREACHABLE');
  // What OpenSSL says of an answer that is not TLS at all: most often a plain-HTTP server behind an https:// URL.
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG') {
    // The port kept: an https:// URL without one means 443, which is not http://'s default.
    const http = baseUrl.replace(/^https:\/\/([^/]+)/, (_, host: string) => `http://${/:\d+$/.test(host) ? host : `${host}:443`}`);
    const plain = baseUrl.startsWith('https://') ? `; if it speaks plain HTTP, use ${http}` : '';
    return new ToolError(`${where}: the server's answer to the TLS handshake is not TLS (${code})${plain}`, 'OPC_E_UNREACHABLE');
  }
  // Never a bare number or an empty reason: say what happened in words.
  const message = [...chain].reverse().map((c) => c.message).find((m) => m && m !== 'fetch failed' && !/^\d+$/.test(m));
  const reason = message ?? 'the request failed';
  return new ToolError(`${where}: ${reason}`, 'OPC_E_UNREACHABLE');
}

export interface TransportOptions {
  /** Total deadline of one request in ms: connect, headers and the whole body. Default 10 000. */
  timeoutMs?: number;
  /** Where every exchange is also written (redacted); the run's complete record. */
  journal?: Journal;
  /** Bounds of the in-memory sample (default OBSERVATION_LIMIT exchanges, OBSERVATION_BYTES). */
  sample?: { count: number; bytes: number };
  /** The local address connections bind (a second client address, see Transport.secondAddress). */
  localAddress?: string;
}

/** What one request on the wire came back with. */
interface Answer { status: number; headers: Record<string, string>; text: string }

/** The abort of every request in flight under a signal (a check's): one listener per signal, not per request. */
const IN_FLIGHT = new WeakMap<AbortSignal, Set<() => void>>();

function onAbort(signal: AbortSignal, stop: () => void): () => void {
  let stops = IN_FLIGHT.get(signal);
  if (!stops) {
    const all = (stops = new Set());
    IN_FLIGHT.set(signal, all);
    signal.addEventListener('abort', () => [...all].forEach((f) => f()), { once: true });
  }
  stops.add(stop);
  return () => void stops.delete(stop);
}

/** Why `signal` aborted, as an error: a reason that is none (abort(null), a string) reads as an abort. */
function abortReason(signal: AbortSignal): Error {
  const r: unknown = signal.reason;
  return r instanceof Error ? r : Object.assign(new Error('aborted'), { name: 'AbortError' });
}

/**
 * Send one request on `pool` and read its answer whole: the body is refused (the request aborted,
 * `tooLarge()` thrown) once it passes `cap` bytes, and the whole request, headers and body, is bounded by
 * `timeoutMs` (undici's own timers are idle timers: a body trickled a byte at a time never trips them).
 * Written against undici's dispatch handler, with no stream, promise or AbortController per request beyond
 * the one promise: those were a visible part of a run's CPU.
 */
function answerOf(pool: Pool, req: Pick<HttpExchangeRequest, 'method' | 'headers' | 'body'> & { path: string }, cap: number, tooLarge: () => Error, timeoutMs: number, signal?: AbortSignal): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let controller: { abort(reason: Error): void } | undefined;
    let stopped: Error | undefined;
    let settled = false;
    let status = 0;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let unlisten: (() => void) | undefined;
    const finish = (error: Error | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      unlisten?.();
      if (error) reject(error);
      else resolve({ status, headers, text: Buffer.concat(chunks).toString('utf8') });
      // (The bytes are text now: a collection may take them.)
      chunks.length = 0;
      bodyRead(size);
    };
    // Cut short for `reason`: a request still waiting for a connection ends now and is never sent.
    const stop = (reason: Error) => {
      if (stopped) return;
      stopped = reason;
      if (controller) controller.abort(reason);
      else finish(reason);
    };
    const timer = setTimeout(() => stop(Object.assign(new Error('deadline'), { name: 'TimeoutError' })), timeoutMs);
    if (signal?.aborted) return stop(abortReason(signal));
    if (signal) unlisten = onAbort(signal, () => stop(abortReason(signal)));
    // undici's own handler interface (the one its core calls): the newer one is wrapped per request, and its
    // headers parsed into an object that would only be flattened again here.
    pool.dispatch({ method: req.method as 'GET', path: req.path, headers: req.headers, body: req.body }, {
      onConnect(abort: (reason: Error) => void) {
        controller = { abort };
        if (stopped) abort(stopped);
      },
      onHeaders(statusCode: number, raw: Buffer[]) {
        status = statusCode;
        headers = rawHeaders(raw);
        return true;
      },
      onData(chunk: Buffer) {
        size += chunk.length;
        if (size > cap) stop(tooLarge());
        else chunks.push(chunk);
        return true;
      },
      onComplete() {
        finish(undefined);
      },
      onError(err: Error) {
        finish(stopped ?? err);
      },
    } as unknown as Parameters<Pool['dispatch']>[1]);
  });
}

export class HttpTransport implements Transport {
  readonly baseUrl: string;
  readonly embedded = false;
  /** Created on the first request: an embedded run never loads undici. */
  private pool: Pool | undefined;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly log: ObservationLog;
  private readonly timeoutMs: number;
  private readonly localAddress: string | undefined;

  /** `opts` as a number is the timeout alone; `log` is shared by a second-address transport. */
  constructor(url: string, opts: number | TransportOptions = {}, log?: ObservationLog) {
    if (typeof opts === 'number') opts = { timeoutMs: opts };
    const { origin, prefix, baseUrl } = parseBaseUrl(url);
    this.baseUrl = baseUrl;
    this.prefix = prefix;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.localAddress = opts.localAddress;
    this.log = log ?? new ObservationLog(opts.journal, opts.sample);
    // One keep-alive pool per run. undici's request() never follows redirects: a 3xx is returned as is,
    // so credentials never travel to another origin.
    this.origin = origin;
  }

  private connection(): Pool {
    const t = this.timeoutMs;
    return (this.pool ??= new (undiciPool())(this.origin, { connectTimeout: t, headersTimeout: t, bodyTimeout: t, ...CLIENT_KEEP_ALIVE, ...(this.localAddress ? { localAddress: this.localAddress } : {}) }));
  }

  /** Made once per run and closed with this transport. */
  private second: Promise<{ transport: Transport; ip: string } | { why: string }> | undefined;

  secondAddress(): Promise<{ transport: Transport; ip: string } | { why: string }> {
    return (this.second ??= this.bindSecondAddress());
  }

  private async bindSecondAddress(): Promise<{ transport: Transport; ip: string } | { why: string }> {
    const host = new URL(this.origin).hostname;
    // Only on loopback is the address a socket binds the one the server sees (no NAT or proxy between), and
    // only 127.0.0.0/8 offers more than one: ::1 is a single address.
    const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
    if (!octets) return { why: `the target ${host} is not an IPv4 loopback address, so this tool has no second address the server would see` };
    const ip = host === '127.0.0.2' ? '127.0.0.3' : '127.0.0.2';
    const bound = await bindsTo(host, Number(new URL(this.origin).port || 80), ip, Math.min(this.timeoutMs, 2_000));
    if (bound !== true) return { why: `cannot connect from ${ip} on this machine (${bound})` };
    return { transport: new HttpTransport(this.baseUrl, { timeoutMs: this.timeoutMs, localAddress: ip }, this.log), ip };
  }

  async send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange> {
    try {
      return await this.once(req, signal);
    } catch (e) {
      // A kept-alive connection the server closed just as it was reused (its idle timer ran while this
      // process was busy) is not the server's answer: a request safe to repeat is sent once more.
      const safe = req.method === 'GET' || req.method === 'HEAD';
      if (safe && e instanceof ToolError && e.code === 'OPC_E_CONNECTION_CLOSED' && !signal?.aborted) return this.once(req, signal);
      throw e;
    }
  }

  private async once(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange> {
    const started = performance.now();
    let answer: Answer;
    try {
      const cap = isAuditRoute(req.path) ? MAX_AUDIT_RESPONSE_BYTES : MAX_RESPONSE_BYTES;
      const tooLarge = () => new ToolError(`${req.method} ${req.path}: response body exceeds ${cap / 1024 / 1024} MiB; refusing to read further`, 'OPC_E_RESPONSE_TOO_LARGE');
      answer = await answerOf(this.connection(), { ...req, path: this.prefix + req.path }, cap, tooLarge, this.timeoutMs, signal);
    } catch (err) {
      const broken = err instanceof ToolError ? undefined : framingError(err);
      if (broken !== undefined) {
        // The server answered, wrongly: that is its failure (ENV-002 reports it from this exchange), not a
        // target the tool cannot reach. Only a request safe to repeat is sent again to read the raw first line.
        const safe = req.method === 'GET' || req.method === 'HEAD';
        const firstLine = safe && this.origin.startsWith('http:') ? await rawFirstLine(this.origin, this.prefix + req.path, req) : undefined;
        const ex: Exchange = { request: req, response: { status: 0, headers: {}, text: '', json: undefined, framing: { reason: broken, ...(firstLine !== undefined ? { firstLine } : {}) } }, durationMs: performance.now() - started };
        this.log.add(ex);
        throw new ToolError(`${req.method} ${this.baseUrl}${req.path.split('?')[0]}: the server answered with broken HTTP framing (${broken})${firstLine !== undefined ? `; first line: ${firstLine}` : ''}`, 'OPC_E_BROKEN_FRAMING');
      }
      const e = err instanceof ToolError ? err : describeNetworkError(err, this.baseUrl, req, this.timeoutMs);
      this.log.failed(req, e.message, performance.now() - started);
      throw e;
    }
    const { status, headers, text } = answer;
    const ex: Exchange = { request: req, response: responseOf(status, headers, text), durationMs: performance.now() - started };
    this.log.add(ex);
    return ex;
  }

  observed(): readonly Exchange[] {
    return this.log.all();
  }

  keep(ex: Exchange): void {
    this.log.keep(ex);
  }

  unobserved(): number {
    return this.log.unobserved();
  }

  async close(): Promise<void> {
    const second = await this.second;
    if (second && 'transport' in second) await second.transport.close();
    const pool = this.pool;
    await pool?.close().catch(() => pool.destroy());
  }
}

/** No sockets: the runtime's pure handler answers, as if from 127.0.0.1. */
export class InProcessTransport implements Transport {
  readonly baseUrl = 'embedded:';
  readonly embedded = true;
  private readonly log: ObservationLog;
  private readonly shared: boolean;

  /** `clientIp`: the address the runtime is told each request comes from; `log` is shared by a second-address transport. */
  constructor(
    private readonly runtime: Runtime,
    opts: Pick<TransportOptions, 'journal' | 'sample'> = {},
    private readonly clientIp = '127.0.0.1',
    log?: ObservationLog,
  ) {
    this.shared = log !== undefined;
    this.log = log ?? new ObservationLog(opts.journal, opts.sample);
  }

  async secondAddress(): Promise<{ transport: Transport; ip: string }> {
    const ip = '127.0.0.2';
    return { transport: new InProcessTransport(this.runtime, {}, ip, this.log), ip };
  }

  async send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange> {
    if (signal?.aborted) throw new ToolError(`${req.method} ${req.path} aborted`, 'OPC_E_ABORTED');
    const started = performance.now();
    // A handler that throws is what a crashed server looks like over HTTP (the node:http adapter answers a
    // bare 500): report it the same way so embedded and served runs judge a crash alike.
    const res = await this.runtime
      .handle({ method: req.method, path: req.path, headers: { ...req.headers }, body: req.body, clientIp: this.clientIp })
      .catch(() => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }));
    const ex: Exchange = { request: req, response: responseOf(res.status, flattenHeaders(res.headers), res.body), durationMs: performance.now() - started };
    this.log.add(ex);
    return ex;
  }

  observed(): readonly Exchange[] {
    return this.log.all();
  }

  keep(ex: Exchange): void {
    this.log.keep(ex);
  }

  unobserved(): number {
    return this.log.unobserved();
  }

  async close(): Promise<void> {
    // A second-address transport (made with the first one's log) shares the runtime the run goes on using.
    if (!this.shared) await this.runtime.close();
  }
}
