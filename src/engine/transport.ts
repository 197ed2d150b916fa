/**
 * Transports carry one request and return the exchange. HttpTransport speaks HTTP through undici (the only
 * module that imports it); InProcessTransport calls the reference runtime's handler without sockets. Both
 * keep a bounded log of everything they saw, which 'final' checks read through ctx.observed().
 */
import { Pool } from 'undici';
import type { Runtime } from '../runtime/types.js';
import { ToolError, type Exchange, type HttpExchangeRequest } from './check.js';

export interface Transport {
  /** Base URL as given (no trailing slash), or "embedded:" for the in-process runtime. */
  readonly baseUrl: string;
  readonly embedded: boolean;
  send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange>;
  /** The last exchanges observed (oldest first), at most OBSERVATION_LIMIT. */
  observed(): readonly Exchange[];
  close(): Promise<void>;
}

export const OBSERVATION_LIMIT = 5_000;
export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

class ObservationLog {
  private items: Exchange[] = [];
  add(ex: Exchange): void {
    this.items.push(ex);
    // Trim in batches so recording stays O(1) amortized.
    if (this.items.length > OBSERVATION_LIMIT + 500) this.items = this.items.slice(-OBSERVATION_LIMIT);
  }
  all(): readonly Exchange[] {
    return this.items.length > OBSERVATION_LIMIT ? this.items.slice(-OBSERVATION_LIMIT) : this.items.slice();
  }
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
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

function describeNetworkError(err: unknown, baseUrl: string, req: HttpExchangeRequest, timeoutMs: number): ToolError {
  const e = err as { code?: string; name?: string; message?: string; cause?: { code?: string } };
  const code = e.code ?? e.cause?.code;
  if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new ToolError(`${req.method} ${baseUrl}${req.path} timed out after ${timeoutMs} ms (${code})`, 3);
  }
  if (e.name === 'AbortError' || code === 'UND_ERR_ABORTED') return new ToolError(`${req.method} ${req.path} aborted`, 3);
  // The request itself is unsendable (e.g. a control character in a header): the target is not at fault.
  if (code === 'UND_ERR_INVALID_ARG') return new ToolError(`${req.method} ${req.path}: cannot send this request over HTTP: ${e.message}`, 3);
  if (code && /^E[A-Z]+$/.test(code)) return new ToolError(`cannot reach ${baseUrl}: ${code}`, 3);
  return new ToolError(`cannot reach ${baseUrl}: ${code ?? e.message ?? String(err)}`, 3);
}

export class HttpTransport implements Transport {
  readonly baseUrl: string;
  readonly embedded = false;
  private readonly pool: Pool;
  private readonly prefix: string;
  private readonly log = new ObservationLog();

  constructor(url: string, private readonly timeoutMs = 10_000) {
    const { origin, prefix, baseUrl } = parseBaseUrl(url);
    this.baseUrl = baseUrl;
    this.prefix = prefix;
    // One keep-alive pool per run. undici's request() never follows redirects: a 3xx is returned as is,
    // so credentials never travel to another origin.
    this.pool = new Pool(origin, { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs, keepAliveTimeout: 4_000 });
  }

  async send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange> {
    const started = performance.now();
    let status: number;
    let headers: Record<string, string>;
    let text: string;
    try {
      const res = await this.pool.request({
        method: req.method as 'GET',
        path: this.prefix + req.path,
        headers: req.headers,
        body: req.body,
        signal,
      });
      status = res.statusCode;
      headers = flattenHeaders(res.headers);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        size += (chunk as Buffer).length;
        if (size > MAX_RESPONSE_BYTES) {
          res.body.destroy();
          throw new ToolError(`${req.method} ${req.path}: response body exceeds ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; refusing to read further`, 3);
        }
        chunks.push(chunk as Buffer);
      }
      text = Buffer.concat(chunks).toString('utf8');
    } catch (err) {
      if (err instanceof ToolError) throw err;
      throw describeNetworkError(err, this.baseUrl, req, this.timeoutMs);
    }
    const ex: Exchange = { request: req, response: { status, headers, text, json: parseJson(text) }, durationMs: performance.now() - started };
    this.log.add(ex);
    return ex;
  }

  observed(): readonly Exchange[] {
    return this.log.all();
  }

  async close(): Promise<void> {
    await this.pool.close().catch(() => this.pool.destroy());
  }
}

/** No sockets: the runtime's pure handler answers, as if from 127.0.0.1. */
export class InProcessTransport implements Transport {
  readonly baseUrl = 'embedded:';
  readonly embedded = true;
  private readonly log = new ObservationLog();

  constructor(private readonly runtime: Runtime) {}

  async send(req: HttpExchangeRequest, signal?: AbortSignal): Promise<Exchange> {
    if (signal?.aborted) throw new ToolError(`${req.method} ${req.path} aborted`, 3);
    const started = performance.now();
    // A handler that throws is what a crashed server looks like over HTTP (the node:http adapter answers a
    // bare 500): report it the same way so embedded and served runs judge a crash alike.
    const res = await this.runtime
      .handle({ method: req.method, path: req.path, headers: { ...req.headers }, body: req.body, clientIp: '127.0.0.1' })
      .catch(() => ({ status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error' }));
    const headers = flattenHeaders(res.headers);
    const ex: Exchange = { request: req, response: { status: res.status, headers, text: res.body, json: parseJson(res.body) }, durationMs: performance.now() - started };
    this.log.add(ex);
    return ex;
  }

  observed(): readonly Exchange[] {
    return this.log.all();
  }

  async close(): Promise<void> {
    await this.runtime.close();
  }
}

