/** Thin node:http adapter around Runtime.handle. */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runtime, RuntimeRequest, RuntimeResponse } from './types.js';
import { oversizeResponse } from './runtime.js';
import type { createMcpHttpHandler } from './mcp.js';

export interface StartedServer {
  url: string;
  close(): Promise<void>;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** An oversized body is read and discarded up to this much, so the client sees the 413 and not a reset. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads the body up to `limit` bytes and hands it to `done` once: undefined for a body over it — after reading
 * and discarding the rest: closing a socket with unread bytes makes the kernel send a reset, which the client
 * would see instead of the 413. Past DRAIN_LIMIT the socket is destroyed after all. A callback, not a promise:
 * this runs for every request with a body.
 */
function readBody(req: IncomingMessage, limit: number, done: (body: Buffer | undefined) => void, failed: (err: Error) => void): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  let settled = false;
  const finish = (body: Buffer | undefined) => {
    if (settled) return;
    settled = true;
    done(body);
  };
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (!over && size > limit) {
      over = true;
      chunks.length = 0;
    }
    if (!over) chunks.push(chunk);
    else if (size > DRAIN_LIMIT) req.socket.destroy();
  });
  // A small body is one chunk: no copy.
  req.on('end', () => finish(over ? undefined : chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)));
  req.on('error', (err) => {
    if (settled) return;
    settled = true;
    failed(err);
  });
  req.on('close', () => finish(undefined));
}

/** RFC 9112 §6.3: a request without Content-Length or Transfer-Encoding has no body; no need to listen for one. */
function mayHaveBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

const NO_BODY = Buffer.alloc(0);
/**
 * How long an idle kept-alive connection stays open. Far longer than any client's idle timer (the judge's is
 * at most 4 s, CLIENT_KEEP_ALIVE of src/runner/transport.ts), so the client always gives the connection up
 * first and never sends a request into a connection this server is closing.
 */
export const SERVER_KEEP_ALIVE_MS = 30_000;

export async function startHttpServer(
  runtime: Runtime,
  opts: {
    host?: string; port?: number; bodyLimitBytes?: number;
    /** Also serve the MCP binding at /mcp (src/runtime/mcp.ts). */ mcp?: boolean;
    /** The MCP endpoint's session quotas (default SESSION_QUOTAS of src/runtime/mcp.ts). */ mcpSessionQuotas?: { perKey: number; perTenant: number; total: number };
  } = {},
): Promise<StartedServer> {
  const limit = opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT;
  // Loaded only when served: the MCP SDK costs start-up time every other use of the runtime would pay.
  const mcpModule = opts.mcp ? await import('./mcp.js') : undefined;
  const mcp: ReturnType<typeof createMcpHttpHandler> | undefined = mcpModule?.createMcpHttpHandler(runtime, opts.mcpSessionQuotas);
  // Only reachable when the handler crashed (it never does unless a fault makes it).
  const crashed = (res: ServerResponse) => {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('Internal Server Error');
  };
  // A runtime that offers only `handle` (a test's wrapper) is answered through it.
  const respond = runtime.respond ?? ((r: RuntimeRequest) => runtime.handle(r));
  /** Writes the runtime's answer. A declared length spares chunked framing; bytes the runtime already holds (a constant answer) go out without being encoded again. */
  const send = (res: ServerResponse, r: RuntimeResponse): void => {
    const payload = r.bytes ?? r.body;
    try {
      res.writeHead(r.status, { ...r.headers, 'content-length': typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length }).end(payload);
    } catch {
      // Headers node refuses (only a fault writes them): answered as a crash, as any other failure of the answer.
      crashed(res);
    }
  };
  /** Not async: an answer the runtime has at once (Runtime.respond) is written in the same turn, without a promise. */
  const answer = (req: IncomingMessage, res: ServerResponse, path: string, body: Buffer | undefined): void => {
    if (body === undefined) {
      // Over the cap (the body was drained, see readBody): 413, then close the connection; on the MCP
      // endpoint as a JSON-RPC error, which is what an MCP client reads.
      const r = (mcp && path === mcpModule!.MCP_PATH ? mcp.oversize(limit) : undefined) ?? oversizeResponse(limit);
      res.writeHead(r.status, { ...r.headers, connection: 'close' }).end(r.body);
      return;
    }
    if (mcp && path === mcpModule!.MCP_PATH) return void mcp.handle(req, res, body).catch(() => crashed(res));
    if (mcp && path === mcpModule!.RESOURCE_METADATA_PATH && req.method === 'GET') {
      try {
        mcp.metadata(req, res);
      } catch {
        crashed(res);
      }
      return;
    }
    let r: RuntimeResponse | Promise<RuntimeResponse>;
    try {
      r = respond({
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: body.length > 0 ? body : undefined,
        clientIp: req.socket.remoteAddress ?? '',
      });
    } catch {
      return crashed(res);
    }
    if (r instanceof Promise) r.then((done) => send(res, done), () => crashed(res));
    else send(res, r);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    // A request without a body is answered without waiting for one (no listener of its own for the read).
    if (!mayHaveBody(req)) answer(req, res, path, NO_BODY);
    else readBody(req, limit, (body) => answer(req, res, path, body), () => crashed(res));
  });
  server.keepAliveTimeout = SERVER_KEEP_ALIVE_MS;
  // Requests node:http rejects before the handler (header block over 16 KiB, unparsable request line) still
  // get the standard envelope rather than node's bare 400/431.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooBig = err.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      ok: false,
      code: 'common.validation',
      message: tooBig ? 'Request header fields too large' : 'Malformed HTTP request',
      details: { issues: [{ code: tooBig ? 'too_big' : 'invalid_request', path: [], message: tooBig ? 'Header block exceeds the server limit' : 'The request could not be parsed' }] },
    });
    const status = tooBig ? '431 Request Header Fields Too Large' : '400 Bad Request';
    socket.end(`HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }).then(() => mcp?.close()),
  };
}
