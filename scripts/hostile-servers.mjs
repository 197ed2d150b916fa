// Small misbehaving OpenPort servers on loopback, one per hostile behaviour. Shared by the hostile-target
// matrix test (test/cli/hostile-matrix.ts) and the soak script (scripts/soak.mjs). Each answers the CLI's
// probe (GET /healthz, unauthenticated GET /api/agent/v1/manifest) with proper envelopes unless its
// misbehaviour is about every request, so the run gets past the probe into the checks.
import { createServer } from 'node:http';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const JSON_TYPE = { 'content-type': 'application/json; charset=utf-8' };
const MIB = 1024 * 1024;

const envelope = (ok, code, extra = {}) => JSON.stringify(ok ? { ok: true, code: 'common.success', data: { status: 'ok', ...extra } } : { ok: false, code, message: 'refused', ...extra });

/** The run's up-front admin check (GET /apps with the admin headers): admitted, so the checks get to run. */
const isAdminProbe = (req) => req.method === 'GET' && (req.url ?? '').split('?')[0] === '/api/agent-admin/v1/apps';

function isProbe(req) {
  const path = (req.url ?? '').split('?')[0];
  return req.method === 'GET' && (path === '/healthz' || (path === '/api/agent/v1/manifest' && !req.headers.authorization) || isAdminProbe(req));
}

function answerProbe(req, res) {
  if ((req.url ?? '').startsWith('/healthz')) res.writeHead(200, JSON_TYPE).end(envelope(true));
  else if (isAdminProbe(req)) res.writeHead(200, JSON_TYPE).end(JSON.stringify({ ok: true, code: 'common.success', data: { items: [] } }));
  else res.writeHead(401, JSON_TYPE).end(envelope(false, 'agent.token_invalid'));
}

/**
 * A valid envelope padded to just under `bytes`, encoded. Built once per kind and size: the server answers
 * every request with it, and building 4 MiB afresh each time cost the hostile-target test more CPU than the
 * server's sending it.
 */
const paddings = new Map();
function padded(ok, bytes) {
  const key = `${ok} ${bytes}`;
  if (!paddings.has(key)) {
    const skeleton = envelope(ok, 'agent.token_invalid', ok ? { pad: '' } : { details: { pad: '' } });
    paddings.set(key, Buffer.from(skeleton.replace('"pad":""', `"pad":"${'x'.repeat(bytes - skeleton.length - 16)}"`)));
  }
  return paddings.get(key);
}

function nested(depth) {
  return `{"ok":false,"code":"agent.token_invalid","message":"refused","details":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
}

/** name → [description, handler for requests past the probe]. */
export const HOSTILE = {
  silent: ['accepts the request and never answers', () => undefined],
  trickle: ['sends headers, then one byte of body every 200 ms, forever', (req, res) => {
    res.writeHead(200, JSON_TYPE);
    const t = setInterval(() => res.write(' '), 200);
    res.on('close', () => clearInterval(t));
  }],
  huge: ['answers 50 MB bodies', (req, res) => {
    res.writeHead(200, JSON_TYPE);
    const chunk = Buffer.alloc(MIB, 0x20);
    let n = 0;
    const pump = () => {
      while (n < 50) {
        n++;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
    res.on('error', () => undefined);
  }],
  endless: ['answers a body that never ends, as fast as it can', (req, res) => {
    res.writeHead(200, JSON_TYPE);
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
    res.on('error', () => undefined);
  }],
  'envelope-4mib': ['answers every request, the probe included, with a valid envelope padded to just under 4 MiB', (req, res) => {
    const ok = (req.url ?? '').startsWith('/healthz') || isAdminProbe(req) || req.tokenProbe === true;
    res.writeHead(ok ? 200 : 401, JSON_TYPE).end(padded(ok, 4 * MIB - 1024));
  }, { everyRequest: true }],
  redirect: ['redirects every request to another loopback port', (req, res) => {
    res.writeHead(302, { location: 'http://127.0.0.1:9/api/agent/v1/manifest', ...JSON_TYPE }).end(envelope(false, 'agent.not_found'));
  }],
  'invalid-json': ['answers 200 with a truncated JSON body', (req, res) => res.writeHead(200, JSON_TYPE).end('{"ok":true,"code":"common.succ')],
  'deep-nesting': ['answers a valid envelope with a 600 KB deeply nested extra field', (req, res) => res.writeHead(401, JSON_TYPE).end(nested(300_000))],
  'echo-credentials': ['echoes the Authorization and every admin header back in a response header and in the error body', (req, res) => {
    const echoed = Object.entries(req.headers).filter(([k]) => k === 'authorization' || k.startsWith('x-admin')).map(([k, v]) => `${k}: ${v}`).join('; ');
    res.writeHead(400, { ...JSON_TYPE, 'x-echo': echoed || 'none' }).end(JSON.stringify({ ok: false, code: 'common.validation', message: `bad request from ${echoed}`, details: { issues: [{ code: 'custom', path: [], message: echoed }] } }));
  }],
  'close-mid-response': ['sends headers and half a body, then closes the socket', (req, res) => {
    res.writeHead(200, { ...JSON_TYPE, 'content-length': '100' });
    res.write('{"ok":true,"code":"common.success","da');
    setTimeout(() => res.socket?.destroy(), 5);
  }],
  'absurd-retry-after': ['refuses everything with 429 and Retry-After: 999999999', (req, res) => {
    res.writeHead(429, { ...JSON_TYPE, 'retry-after': '999999999' }).end(envelope(false, 'agent.rate_limited'));
  }],
  '5xx': ['answers 500 common.internal_error to everything past the probe', (req, res) => res.writeHead(500, JSON_TYPE).end(envelope(false, 'common.internal_error'))],
};

export const HOSTILE_NAMES = Object.keys(HOSTILE);

/** Listen on 127.0.0.1 (an ephemeral port): the url, and a close that drops open connections (some never end). */
async function listening(server) {
  server.on('clientError', (_e, socket) => socket.destroy());
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** Start one hostile server on 127.0.0.1 (an ephemeral port). */
export async function startHostile(name) {
  const [, handler, opts = {}] = HOSTILE[name] ?? [];
  if (!handler) throw new Error(`unknown hostile server ${name}; known: ${HOSTILE_NAMES.join(', ')}`);
  // The run checks its --token up front with one GET manifest: the first one that carries a token is
  // admitted (a manifest of no tools), so the run gets past its credential check into the checks.
  let tokenChecked = false;
  const server = createServer((req, res) => {
    req.resume();
    res.on('error', () => undefined);
    if (!tokenChecked && req.method === 'GET' && (req.url ?? '').split('?')[0] === '/api/agent/v1/manifest' && req.headers.authorization) {
      tokenChecked = true;
      req.tokenProbe = true;
      if (!opts.everyRequest) return void res.writeHead(200, JSON_TYPE).end(JSON.stringify({ ok: true, code: 'common.success', data: { app: { id: 'app_hostile', name: 'hostile', scope: 'workspace', orgId: 'org_demo' }, tools: [] } }));
    }
    if (!opts.everyRequest && isProbe(req)) return answerProbe(req, res);
    handler(req, res);
  });
  return listening(server);
}

/**
 * Slow but valid: the reference runtime (from dist/) over HTTP, every answer delayed by `delayMs`.
 * Returns the url, the runtime's agent token and admin headers.
 */
export async function startSlowValid(delayMs = 20) {
  const { createRuntime } = await import('../dist/src/runtime/index.js');
  const { startHttpServer } = await import('../dist/src/runtime/server.js');
  const runtime = createRuntime();
  const slow = { ...runtime, handle: async (req) => { await new Promise((r) => setTimeout(r, delayMs)); return runtime.handle(req); } };
  const server = await startHttpServer(slow, { port: 0 });
  return { url: server.url, token: runtime.bootstrap.agentToken, adminHeaders: runtime.adminHeaders, close: () => server.close() };
}

/**
 * MCP endpoints (POST /mcp) that misbehave at the first request, `initialize`: the limits of the MCP client
 * (`run --binding mcp`), which must hold as the HTTP binding's do. Everything else answers 404.
 */
export const MCP_HOSTILE = {
  'gzip-bomb': ['answers initialize 200 with a gzip body of 128 members, each 64 MiB of spaces: 8 GiB inflated from about 8 MB on the wire', (req, res) => {
    const bomb = gzipBomb();
    res.writeHead(200, { ...JSON_TYPE, 'content-encoding': 'gzip' });
    let n = 0;
    const pump = () => {
      while (n < 128 && !res.destroyed) {
        n++;
        if (!res.write(bomb)) return void res.once('drain', pump);
      }
      res.end();
    };
    pump();
  }],
  'gzip-gzip-bomb': ['answers initialize 200 with "content-encoding: gzip, gzip": 19 KB on the wire inflate to 8 MB of gzip members, which inflate to 8 GiB', (req, res) => {
    doubleBomb ??= gzipSync(Buffer.concat(Array(128).fill(gzipBomb())), { level: 9 });
    res.writeHead(200, { ...JSON_TYPE, 'content-encoding': 'gzip, gzip' }).end(doubleBomb);
  }],
  'br-bomb': ['answers initialize 200 with a brotli body of about 100 bytes that inflates to 64 MiB in one piece', (req, res) => {
    brBomb ??= brotliCompressSync(Buffer.alloc(64 * MIB, 0x20), { params: { [zlib.BROTLI_PARAM_QUALITY]: 4, [zlib.BROTLI_PARAM_SIZE_HINT]: 64 * MIB } });
    res.writeHead(200, { ...JSON_TYPE, 'content-encoding': 'br' }).end(brBomb);
  }],
  'gzip-lies': ['answers initialize 200 with "content-encoding: gzip" over a plain JSON body', (req, res) => {
    res.writeHead(200, { ...JSON_TYPE, 'content-encoding': 'gzip' }).end('{"jsonrpc":"2.0","id":0,"result":{}}');
  }],
  'status-999': ['answers initialize with HTTP status 999, which no final response has', (req, res) => {
    res.writeHead(999, JSON_TYPE).end('{}');
  }],
  'endless-401': ['refuses initialize with 401 and a body that never ends, as fast as it can', (req, res) => {
    res.writeHead(401, JSON_TYPE);
    res.write('{"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"');
    const chunk = Buffer.alloc(64 * 1024, 0x78);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  }],
};
let bomb;
let doubleBomb;
let brBomb;
/** One gzip member of 64 MiB of spaces (about 64 KB). */
const gzipBomb = () => (bomb ??= gzipSync(Buffer.alloc(64 * MIB, 0x20), { level: 9 }));

/** Start one hostile MCP endpoint on 127.0.0.1 (an ephemeral port); its url is the base (the endpoint is <url>/mcp). */
export async function startMcpHostile(name) {
  const [, handler] = MCP_HOSTILE[name] ?? [];
  if (!handler) throw new Error(`unknown hostile MCP server ${name}; known: ${Object.keys(MCP_HOSTILE).join(', ')}`);
  const server = createServer((req, res) => {
    req.resume();
    res.on('error', () => undefined);
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/mcp') return handler(req, res);
    res.writeHead(404, JSON_TYPE).end(envelope(false, 'common.not_found'));
  });
  return listening(server);
}
