import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rejectionOf, toolErrorOf } from './fakes.js';
import { describeNetworkError, HttpTransport, MAX_RESPONSE_BYTES, parseBaseUrl, undiciPool } from '../../src/runner/transport.js';
import { createAdminClient, createAgentClient } from '../../src/kit/clients.js';

let server: Server;
let base: string;
const seen: { method: string; url: string; headers: IncomingMessage['headers']; body: string }[] = [];

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/json': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"ok":true,"code":"common.success","data":{"n":1}}');
  },
  '/redirect': (_req, res) => {
    res.writeHead(302, { location: '/json' });
    res.end();
  },
  '/big': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 5; i++) res.write(chunk);
    res.end();
  },
  '/slow': () => undefined, // never answers
  '/trickle': (_req, res) => {
    // Headers at once, then a byte every 20 ms: undici's idle timers never fire.
    res.writeHead(200, { 'content-type': 'application/json' });
    const t = setInterval(() => res.write(' '), 20);
    res.on('close', () => clearInterval(t));
  },
  '/html': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html></html>');
  },
  '/whoami': (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, code: 'common.success', data: { ip: req.socket.remoteAddress } }));
  },
  '/prefix/api/agent/v1/manifest': (_req, res) => routes['/json'](_req, res),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      const route = routes[req.url!.split('?')[0]];
      if (route) route(req, res);
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, code: 'agent.not_found', message: 'no route' }));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('HttpTransport', () => {
  it('returns status, lower-cased headers, text and parsed JSON, and logs the exchange', async () => {
    const t = new HttpTransport(base);
    const ex = await t.send({ method: 'GET', path: '/json', headers: {} });
    expect(ex.response).toMatchObject({ status: 200, json: { ok: true, code: 'common.success', data: { n: 1 } } });
    expect(ex.response.headers['content-type']).toBe('application/json');
    expect(t.observed()).toHaveLength(1);
    await t.close();
  });

  it('reaches a loopback target from a second loopback address, into the same sample, and names why a host has none', async () => {
    const t = new HttpTransport(base);
    const second = await t.secondAddress();
    if (!('transport' in second)) throw new Error(second.why);
    expect(second.ip).toBe('127.0.0.2');
    const ex = await second.transport.send({ method: 'GET', path: '/whoami', headers: {} });
    expect(ex.response.json).toMatchObject({ data: { ip: '127.0.0.2' } });
    expect(t.observed()).toContain(ex);
    await t.close();
    // "localhost" may resolve to ::1, a single address: no second one is claimed.
    const named = new HttpTransport(base.replace('127.0.0.1', 'localhost'));
    expect(await named.secondAddress()).toEqual({ why: expect.stringContaining('not an IPv4 loopback address') });
    await named.close();
  });

  it('never follows redirects: the 3xx is the answer', async () => {
    const t = new HttpTransport(base);
    const before = seen.length;
    const ex = await t.send({ method: 'GET', path: '/redirect', headers: { authorization: 'Bearer secret' } });
    expect(ex.response.status).toBe(302);
    expect(ex.response.headers.location).toBe('/json');
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/redirect']);
    await t.close();
  });

  it('refuses response bodies over 4 MiB', async () => {
    const t = new HttpTransport(base);
    const e = await rejectionOf(t.send({ method: 'GET', path: '/big', headers: {} }));
    expect(e.message).toBe(`GET /big: response body exceeds ${MAX_RESPONSE_BYTES / 1024 / 1024} MiB; refusing to read further`);
    await t.close();
  });

  it('times out a request that never answers', async () => {
    const t = new HttpTransport(base, 150);
    const e = await rejectionOf(t.send({ method: 'GET', path: '/slow', headers: {} }));
    expect(e.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/slow timed out after 150 ms/);
    await t.close();
  });

  it('bounds the whole request, body included: a trickled body times out with words, not a numeric code', async () => {
    const t = new HttpTransport(base, { timeoutMs: 300 });
    const e = await rejectionOf(t.send({ method: 'GET', path: '/trickle', headers: {} }));
    expect(e.exitCode).toBe(3);
    expect(e.message).toMatch(/GET http:\/\/127\.0\.0\.1:\d+\/trickle timed out after 300 ms without a complete response/);
    expect(e.message).not.toMatch(/: \d+$/);
    await t.close();
  });

  it('aborts every request in flight under a signal when it fires, and never sends one whose signal fired before', async () => {
    const t = new HttpTransport(base);
    const check = new AbortController();
    const inFlight = [1, 2, 3].map((n) => rejectionOf(t.send({ method: 'GET', path: `/slow?n=${n}`, headers: {} }, check.signal)));
    while (seen.filter((s) => s.url.startsWith('/slow?n=')).length < 3) await new Promise((r) => setTimeout(r, 5));
    check.abort();
    for (const e of await Promise.all(inFlight)) expect(e).toMatchObject({ code: 'OPC_E_ABORTED' });
    const late = await rejectionOf(t.send({ method: 'GET', path: '/json?late', headers: {} }, check.signal));
    expect(late).toMatchObject({ code: 'OPC_E_ABORTED', message: 'GET /json?late aborted' });
    expect(seen.some((s) => s.url === '/json?late')).toBe(false);
    // A reason that is none is still an abort, never an answer.
    for (const reason of [null, 'stop']) {
      const c = new AbortController();
      c.abort(reason);
      expect(await rejectionOf(t.send({ method: 'GET', path: '/json?none', headers: {} }, c.signal))).toMatchObject({ code: 'OPC_E_ABORTED' });
    }
    expect(t.observed().some((ex) => ex.request.path === '/json?none')).toBe(false);
    await t.close();
  });

  it("loads undici's pool alone: the very class the package exports as Pool", async () => {
    expect(undiciPool()).toBe((await import('undici')).Pool);
  });

  it('reports an unreachable target as a one-line exit-3 tool error', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const t = new HttpTransport(`http://127.0.0.1:${port}`);
    const e = await rejectionOf(t.send({ method: 'GET', path: '/healthz', headers: {} }));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
    await t.close();
  });

  it('says when an https:// URL meets a server that speaks plain HTTP, naming the http:// URL', async () => {
    const tls = base.replace(/^http:/, 'https:');
    const t = new HttpTransport(tls);
    const e = await rejectionOf(t.send({ method: 'GET', path: '/healthz', headers: {} }));
    expect(e.exitCode).toBe(3);
    expect(e.message).toBe(`GET ${tls}/healthz: the server's answer to the TLS handshake is not TLS (ERR_SSL_WRONG_VERSION_NUMBER); if it speaks plain HTTP, use ${base}`);
    await t.close();
    // Without a port the URL meant 443, and so does the advice.
    const req = { method: 'GET', path: '/healthz', headers: {} };
    const noPort = describeNetworkError(new TypeError('fetch failed', { cause: { code: 'ERR_SSL_WRONG_VERSION_NUMBER' } }), 'https://openport.example', req, 1000);
    expect(noPort.message).toMatch(/; if it speaks plain HTTP, use http:\/\/openport\.example:443$/);
  });

  it('says so when a request cannot be sent, instead of blaming the target', async () => {
    const t = new HttpTransport(base);
    const e = await rejectionOf(t.send({ method: 'GET', path: '/json', headers: { 'x-bad': 'a\r\nb' } }));
    expect(e.message).toMatch(/^GET \/json: cannot send this request over HTTP: /);
    await t.close();
  });

  it('keeps a base path prefix and refuses bad URLs', async () => {
    const t = new HttpTransport(`${base}/prefix/`);
    expect(t.baseUrl).toBe(`${base}/prefix`);
    const ex = await t.send({ method: 'GET', path: '/api/agent/v1/manifest', headers: {} });
    expect(ex.response.status).toBe(200);
    await t.close();
    expect(() => parseBaseUrl('ftp://127.0.0.1')).toThrow(/only http and https/);
    expect(() => parseBaseUrl('http://u:p@127.0.0.1')).toThrow(/credentials in the URL/);
    expect(() => parseBaseUrl('nope')).toThrow(/invalid target URL/);
  });
});

describe('clients over HTTP', () => {
  it('agent requests carry bearer token, JSON content type and the tool user-agent', async () => {
    const t = new HttpTransport(base);
    const agent = createAgentClient((r) => t.send(r), 'op_tok', [{ tool: 'item.list', path: '/api/agent/v1/items?fixed=1', query: { folder: 'f0' }, scopes: [] }]);
    const before = seen.length;
    await agent.actions({ action: 'x', payload: { a: 1 } });
    await agent.read('item.list', { folder: 'l 1', page: 2 });
    const [post, get] = seen.slice(before);
    expect(post).toMatchObject({ method: 'POST', url: '/api/agent/v1/actions', body: '{"action":"x","payload":{"a":1}}' });
    expect(post.headers).toMatchObject({ authorization: 'Bearer op_tok', 'content-type': 'application/json' });
    expect(post.headers['user-agent']).toMatch(/^openport-conform\/\d+\.\d+\.\d+/);
    // The route's own query, its default arguments, then the caller's (later keys win).
    expect(get.url).toBe('/api/agent/v1/items?fixed=1&folder=l+1&page=2');
    expect(get.headers['content-type']).toBeUndefined();
    expect(toolErrorOf(() => agent.read('nope.list'))).toMatchObject({ exitCode: 2, message: expect.stringContaining('no read route for tool "nope.list"') });
    await t.close();
  });

  it('admin provisioning failures are tool errors describing the response', async () => {
    const t = new HttpTransport(base);
    const admin = createAdminClient((r) => t.send(r), { 'X-Admin-User': 'adm' });
    const e = await rejectionOf(admin.createApp({ name: 'n', scopes: [], orgId: 'o' }));
    expect(e.message).toBe('admin plane refused POST /apps (n): HTTP 404 agent.not_found "no route"');
    expect(seen[seen.length - 1].headers['x-admin-user']).toBe('adm');
    // approve/reject are subjects of checks: their refusals come back as exchanges
    const ex = await admin.approve('drf_1');
    expect(ex.response.status).toBe(404);
    await t.close();
  });
});
