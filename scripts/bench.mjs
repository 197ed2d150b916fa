// npm run bench — prints throughput, latency, memory and wall-time figures. Never asserts; traffic stays on
// 127.0.0.1; every loop is bounded by a request count.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { createRuntime } from '../dist/src/runtime/index.js';

const CLI = new URL('../bin/openport-conform.js', import.meta.url).pathname;
const N = Number(process.env.BENCH_REQUESTS ?? 20000);
const CONC = 32;

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function fmt(name, n, ms, lat) {
  lat.sort((a, b) => a - b);
  const rps = Math.round((n / ms) * 1000);
  console.log(`${name.padEnd(44)} ${String(rps).padStart(7)} req/s   p50 ${pct(lat, 50).toFixed(3)} ms   p99 ${pct(lat, 99).toFixed(3)} ms   (${n} requests)`);
  return rps;
}

/** `n` requests, CONC in flight, each sent by `send` (which resolves to the HTTP status); prints the row. */
async function load(name, n, send) {
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < n) {
      next++;
      const s = performance.now();
      const status = await send();
      if (status !== 200) throw new Error(`${name}: HTTP ${status}`);
      lat.push(performance.now() - s);
    }
  }));
  return fmt(name, n, performance.now() - t0, lat);
}

const inProcess = (rt, name, req, n) => load(name, n, async () => (await rt.handle(req())).status);

async function overHttp(url, name, req, n) {
  const pool = new Pool(url, { connections: 16, pipelining: 1 });
  try {
    return await load(name, n, async () => {
      const r = req();
      const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
      await res.body.arrayBuffer();
      return res.statusCode;
    });
  } finally {
    await pool.close();
  }
}

async function startServe(limit = 1_000_000, windowMs = 60_000) {
  const child = spawn(process.execPath, [CLI, 'serve', '--json', '--port', '0', '--rate-limit', String(limit), '--rate-window-ms', String(windowMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = await new Promise((resolveLine, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => { buf += d; const i = buf.indexOf('\n'); if (i >= 0) resolveLine([buf.slice(0, i)]); });
    child.on('exit', (c) => reject(new Error(`serve exited ${c}`)));
  });
  return { child, info: JSON.parse(line) };
}

function rssOf(pid) {
  const r = spawnSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' });
  return Math.round(Number(r.stdout.trim()) / 1024);
}

function wall(label, args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  let verdict = '';
  try { verdict = args[0] === 'mutate' ? `score ${JSON.parse(r.stdout).score.killed}/${JSON.parse(r.stdout).score.total}` : JSON.parse(readFileSync('.tmp/bench-report/report.json', 'utf8')).verdict; } catch { verdict = '(no report)'; }
  console.log(`${label.padEnd(44)} ${(ms / 1000).toFixed(2)} s wall   exit ${r.status}   ${verdict.trim()}`);
}

console.log(`openport-conform bench — node ${process.version}, ${N} requests per row, ${CONC} in flight\n`);

// --- the reference runtime's handler, in-process ---
const rt = createRuntime({ rateLimit: { limit: 1e9, windowMs: 60_000 } });
const tok = rt.bootstrap.agentToken;
const manifestReq = () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: { authorization: `Bearer ${tok}` }, clientIp: '127.0.0.1' });
let k = 0;
const actionBody = () => JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `bench ${k++}`, amount_home: 1 } });
const actionReq = () => ({ method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: actionBody(), clientIp: '127.0.0.1' });
await inProcess(rt, 'in-process  GET manifest', manifestReq, N);
await inProcess(rt, 'in-process  POST actions (draft)', actionReq, N);
const manifestBytes = (await rt.handle(manifestReq())).body;
await rt.close();

// --- bare node:http returning the same manifest bytes, in its own process like serve: the physical limit here ---
mkdirSync('.tmp', { recursive: true });
writeFileSync('.tmp/bench-manifest.json', manifestBytes);
const bare = spawn(process.execPath, ['-e', `
  const body = require('fs').readFileSync('.tmp/bench-manifest.json');
  const s = require('http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); r.end(body); });
  s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + s.address().port })));`], { stdio: ['ignore', 'pipe', 'inherit'] });
const bareUrl = await new Promise((ok) => { let b = ''; bare.stdout.on('data', (d) => { b += d; const i = b.indexOf('\n'); if (i >= 0) ok(JSON.parse(b.slice(0, i)).url); }); });
const quiet = (fn) => { const log = console.log; console.log = () => {}; return fn().finally(() => { console.log = log; }); };
// Both servers get the same 5 000-request warm-up (JIT, connection pool) before they are measured.
await quiet(() => overHttp(bareUrl, 'warm-up', () => ({ method: 'GET', path: '/x' }), 5000));
const bareRps = await overHttp(bareUrl, 'bare node:http  GET (same bytes, child)', () => ({ method: 'GET', path: '/x' }), N);
bare.kill('SIGTERM');

// --- the runtime served by `openport-conform serve` in its own process ---
const { child, info } = await startServe();
const h = { authorization: `Bearer ${info.agentToken}` };
await quiet(() => overHttp(info.url, 'warm-up', () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: h }), 5000));
const httpRps = await overHttp(info.url, 'HTTP        GET manifest (serve, child)', () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: h }), N);
console.log(`HTTP manifest / bare ratio: ${(httpRps / bareRps).toFixed(2)} (goal ≥ 0.6; both servers in a child process)`);
await overHttp(info.url, 'HTTP        GET manifest (to 200k total)', () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: h }), 200_000 - N - 5000);
console.log(`serve RSS after 200,000 manifest requests: ${rssOf(child.pid)} MB (goal < 150 MB)`);
await overHttp(info.url, 'HTTP        POST actions (draft)', () => ({ method: 'POST', path: '/api/agent/v1/actions', headers: { ...h, 'content-type': 'application/json' }, body: actionBody() }), N);
console.log(`serve RSS after those + ${N} drafts it keeps: ${rssOf(child.pid)} MB (drafts are state: they stay readable)\n`);

child.kill('SIGTERM');
await once(child, 'exit');

// --- whole runs, node start included ---
wall('run (embedded, default profile)', ['run', '--reporter', 'json', '--out', '.tmp/bench-report']);
wall('run --profile core (embedded)', ['run', '--profile', 'core', '--reporter', 'json', '--out', '.tmp/bench-report']);
wall('run --profile state-witness (embedded)', ['run', '--profile', 'state-witness', '--reporter', 'json', '--out', '.tmp/bench-report']);
// Whole runs over HTTP need a rate limit the ADM checks can exhaust: the same 30 per second as embedded runs.
writeFileSync('.tmp/bench-target.yaml', 'rateLimit:\n  limit: 30\n  windowMs: 1000\n');
const limited = await startServe(30, 1000);
const admin = Object.entries(limited.info.adminHeaders).flatMap(([n, v]) => ['--admin-header', `${n}: ${v}`]);
const httpArgs = [limited.info.url, '--safety', 'load', '--token', limited.info.agentToken, ...admin, '--target', '.tmp/bench-target.yaml', '--reporter', 'json', '--out', '.tmp/bench-report'];
wall('run core over loopback HTTP (safety load)', ['run', ...httpArgs, '--profile', 'core']);
wall('run state-witness over loopback HTTP', ['run', ...httpArgs, '--profile', 'state-witness']);
limited.child.kill('SIGTERM');
await once(limited.child, 'exit');
wall('mutate (state-witness, every fault)', ['mutate', '--json']);
console.log('');
// Generated fuzz requests per second (in-process and over loopback HTTP).
spawnSync(process.execPath, [new URL('./bench-fuzz.mjs', import.meta.url).pathname, '20000'], { stdio: 'inherit' });
