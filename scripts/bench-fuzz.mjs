#!/usr/bin/env node
// Fuzz throughput: generated requests per second, in-process (runtime handler) and over loopback HTTP
// (the runtime's node:http adapter, the engine's HTTP transport). Run after `npm run build`:
//   node scripts/bench-fuzz.mjs [requests] [seed]
import fc from 'fast-check';
import { createRuntime, startHttpServer } from '../dist/src/runtime/index.js';
import { HttpTransport, InProcessTransport } from '../dist/src/runner/transport.js';
import { shippedTarget } from '../dist/src/runner/target-file.js';
const DEMO_TARGET = shippedTarget('demo');
import { requestArb } from '../dist/fuzz/requests.js';

const N = Number(process.argv[2] ?? 20000);
const seed = Number(process.argv[3] ?? 42);

async function provision(transport, adminHeaders) {
  const send = (method, path, body, headers = {}) =>
    transport.send({ method, path, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
  const created = await send('POST', '/api/agent-admin/v1/apps', { scope: 'workspace', name: 'bench', org_id: 'org_demo', service_user_id: 'svc_bench', scopes: DEMO_TARGET.scopes }, adminHeaders);
  const { app, token } = created.response.json.data;
  const manifest = await send('GET', '/api/agent/v1/manifest', undefined, { authorization: `Bearer ${token}` });
  return { appId: app.id, token, tools: manifest.response.json.data.tools };
}

async function bench(label, transport, adminHeaders, concurrency) {
  const { appId, token, tools } = await provision(transport, adminHeaders);
  const arb = requestArb({ target: DEMO_TARGET, tools, admin: true, execute: true });
  const fill = (s) => s.split('$TOKEN').join(token).split('$APP').join(appId);
  const started = performance.now();
  // Generation is part of the measured work: the samples are drawn lazily, one per request.
  const stream = fc.sample(arb, { seed, numRuns: N })[Symbol.iterator]();
  let sent = 0, fiveXx = 0;
  async function worker() {
    for (let next = stream.next(); !next.done; next = stream.next()) {
      const r = next.value;
      const headers = { 'user-agent': 'bench-fuzz', ...(r.plane === 'admin' ? adminHeaders : {}) };
      for (const [k, v] of Object.entries(r.headers)) headers[k] = fill(v);
      if (r.body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
      const ex = await transport.send({ method: r.method, path: fill(r.path), headers, body: r.body === undefined ? undefined : fill(r.body) });
      sent++;
      if (ex.response.status >= 500) fiveXx++;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const s = (performance.now() - started) / 1000;
  console.log(`${label.padEnd(22)} ${String(sent).padStart(6)} requests in ${s.toFixed(2)} s = ${Math.round(sent / s)} req/s (${fiveXx} 5xx)`);
  await transport.close();
}

const limits = { rateLimit: { limit: 1e9, windowMs: 60_000 } };
const inproc = createRuntime(limits);
await bench('in-process', new InProcessTransport(inproc), inproc.adminHeaders, 1);
const rt = createRuntime(limits);
const server = await startHttpServer(rt);
await bench('loopback HTTP (x16)', new HttpTransport(server.url), rt.adminHeaders, 16);
await server.close();
await rt.close();
