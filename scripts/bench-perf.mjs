// The performance floor rows of `npm run bench` (BENCH_ONLY=perf runs only these): what serve costs per
// request against bare node:http answering the same bytes, with the limiter holding 50 000 (key, IP) pairs,
// and whole runs against their own baselines and against the authors' runtime. Every ratio is of figures
// taken in the same run, in alternating rounds, so a neighbour on a shared machine slows both sides alike.
// Never asserts; traffic stays on loopback; every loop is bounded by a request or round count.
import { spawnSync } from 'node:child_process';
import { spawnOwned } from './owned-children.mjs';
import { DEFAULT_STORE_LIMITS } from '../dist/src/runtime/store.js';
import { once } from 'node:events';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

const CLI = new URL('../bin/openport-conform.js', import.meta.url).pathname;
const DIST = new URL('../dist/src/runtime/index.js', import.meta.url).pathname;
const SERVER = new URL('../dist/src/runtime/server.js', import.meta.url).pathname;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const N = Number(process.env.BENCH_REQUESTS ?? 20000);
/** In flight at once, like `autocannon -c 10`. */
const CONC = 10;
/** The authors' runtime (its built checkout) and the port this bench starts it on. */
const AUTHORS = process.env.BENCH_AUTHORS ?? '/work/peers/ce3b411';
const AUTHORS_PORT = Number(process.env.BENCH_AUTHORS_PORT ?? 18471);
/** (key, IP) pairs the limiter holds in the scale row: KEYS keys × ADDRESSES loopback source addresses. */
const KEYS = 200;
const ADDRESSES = 250;

/**
 * Every store cap of the runtime (docs/runtime-limits.md: server, tenant and app, apps and keys) set to `n`, for
 * rows that measure the request path and must not meet admission by a full store.
 */
export function everyCapRaised(n) {
  return Object.fromEntries(Object.keys(DEFAULT_STORE_LIMITS).filter((k) => k !== 'retentionMs').map((k) => [k, n]));
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
const TICK_US = 1e6 / Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim() || 100);
const us = (x) => `${x.toFixed(1)} µs`;

/** A figure against its goal, said in the row: "(goal ≤ 1.8: met)" or "(goal ≤ 1.8: NOT met)". */
export const goal = (value, max, unit = '') => `(goal ≤ ${max}${unit}: ${value <= max ? 'met' : 'NOT met'})`;

/** Whether this kernel reports threads' run time in schedstat (it prints zeros without sched_info). */
const SCHEDSTAT = (() => {
  try {
    return Number(readFileSync('/proc/self/schedstat', 'utf8').split(' ')[0]) > 0;
  } catch {
    return false;
  }
})();

/**
 * CPU time a process has used so far, µs, from /proc (Linux): the sum of its threads' run time in
 * /proc/<pid>/task/<tid>/schedstat (nanoseconds, so a round of 20 000 requests is not rounded to the 10 ms
 * clock tick of /proc/<pid>/stat, ±3 % of a round). Every thread of the server is counted, the collector's
 * helper threads too; they live as long as the process. Without schedstat, every sample is the tick-rounded figure.
 */
function cpuOf(pid) {
  if (!SCHEDSTAT) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * TICK_US;
  }
  let ns = 0;
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      ns += Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
    } catch {
      // A thread that ended between the listing and the read.
    }
  }
  return ns / 1000;
}

/** A child process that prints one JSON line {url, …} when it listens. */
async function child(args, opts = {}) {
  const c = spawnOwned(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], ...opts });
  const info = await new Promise((ok, reject) => {
    let b = '';
    c.stdout.on('data', (d) => { b += d; const i = b.indexOf('\n'); if (i >= 0) ok(JSON.parse(b.slice(0, i))); });
    c.on('exit', (code) => reject(new Error(`child exited ${code}`)));
  });
  return { pid: c.pid, info, stop: async () => { c.kill('SIGTERM'); await once(c, 'exit'); } };
}

/**
 * The runtime served by the same node:http adapter as `serve` (startHttpServer), with the store caps raised
 * (server, tenant and app) so that the preflight rounds never meet a live-preflight cap: the row measures the
 * request path, not admission by a full store.
 */
const served = (windowMs = 60_000) => child(['--input-type=module', '-e', `
  const { createRuntime } = await import(${JSON.stringify(DIST)});
  const { startHttpServer } = await import(${JSON.stringify(SERVER)});
  const rt = createRuntime({ rateLimit: { limit: 1e9, windowMs: ${windowMs} }, limits: ${JSON.stringify(everyCapRaised(1e7))} });
  const s = await startHttpServer(rt, { host: '127.0.0.1', port: 0 });
  console.log(JSON.stringify({ url: s.url, token: rt.bootstrap.agentToken, appId: rt.bootstrap.appId, adminHeaders: rt.adminHeaders }));`]);

/** bare node:http answering every GET with `get` and every POST (its body read) with `post`. */
const bare = (get, post) => child(['-e', `
  const get = Buffer.from(${JSON.stringify(get)}), post = Buffer.from(${JSON.stringify(post)});
  const s = require('http').createServer((q, r) => {
    const send = (b) => { r.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': b.length }); r.end(b); };
    if (q.method === 'GET') return send(get);
    q.on('data', () => {}).on('end', () => send(post));
  });
  s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + s.address().port })));`]);

/** `n` requests, CONC in flight, over `pools` (round robin); returns the server's CPU µs per request. */
async function cpuPerRequest(pid, pools, n, req) {
  let next = 0;
  const before = cpuOf(pid);
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < n) {
      const i = next++;
      const r = req(i);
      const res = await pools[i % pools.length].request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
      await res.body.arrayBuffer();
      if (res.statusCode !== 200) throw new Error(`${r.method} ${r.path}: HTTP ${res.statusCode}`);
    }
  }));
  return (cpuOf(pid) - before) / n;
}

const pool = (url, localAddress) => new Pool(url, { connections: CONC, pipelining: 1, ...(localAddress ? { connect: { localAddress } } : {}) });

/** Alternating rounds of the two sides; prints both medians and the ratio of the medians and of the pairs. */
async function compare(label, max, a, b) {
  const as = [];
  const bs = [];
  await a(Math.min(N, 5000));
  await b(Math.min(N, 5000));
  for (let i = 0; i < ROUNDS; i++) {
    as.push(await a(N));
    bs.push(await b(N));
  }
  const pairs = as.map((x, i) => x / bs[i]);
  console.log(`${label.padEnd(44)} ${us(median(as))} / ${us(median(bs))} per request (server CPU, median of ${ROUNDS} rounds of ${N})   ratio ${(median(as) / median(bs)).toFixed(2)}, pairs [${pairs.map((r) => r.toFixed(2)).join(' ')}] ${goal(median(as) / median(bs), max)}`);
}

export async function serveCpuRows() {
  const s = await served(600_000);
  const auth = { authorization: `Bearer ${s.info.token}` };
  const json = { ...auth, 'content-type': 'application/json' };
  const preflight = JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: 'bench', amount_home: 1 } });
  const sPool = pool(s.info.url);
  const grab = async (r) => { const res = await sPool.request(r); return Buffer.from(await res.body.arrayBuffer()).toString('utf8'); };
  const manifest = await grab({ method: 'GET', path: '/api/agent/v1/manifest', headers: auth });
  const preflighted = await grab({ method: 'POST', path: '/api/agent/v1/preflight', headers: json, body: preflight });
  const b = await bare(manifest, preflighted);
  const bPool = pool(b.info.url);
  const get = { method: 'GET', path: '/api/agent/v1/manifest', headers: auth };
  const post = { method: 'POST', path: '/api/agent/v1/preflight', headers: json, body: preflight };
  await compare('serve / bare node:http  GET manifest', 1.3, (n) => cpuPerRequest(s.pid, [sPool], n, () => get), (n) => cpuPerRequest(b.pid, [bPool], n, () => get));
  await compare('serve / bare node:http  POST preflight', 1.8, (n) => cpuPerRequest(s.pid, [sPool], n, () => post), (n) => cpuPerRequest(b.pid, [bPool], n, () => post));

  await sPool.close();
  await s.stop();

  // The limiter at scale: KEYS keys, each sending from ADDRESSES loopback source addresses (127.0.1.x), so the
  // limiter holds KEYS × ADDRESSES live windows (the 10-minute window keeps them all alive), then the same
  // GET manifest rows again, spread over every pair. On a server of its own: the POST rows leave over 100 000
  // live preflights behind, a heap the collector would walk during these rows, which measure the limiter.
  const l = await served(600_000);
  const lPool = pool(l.info.url);
  const tokens = [l.info.token];
  const admin = { ...l.info.adminHeaders, 'content-type': 'application/json' };
  while (tokens.length < KEYS) {
    const res = await lPool.request({ method: 'POST', path: `/api/agent-admin/v1/apps/${l.info.appId}/keys`, headers: admin, body: JSON.stringify({ name: `bench ${tokens.length}` }) });
    tokens.push(JSON.parse(Buffer.from(await res.body.arrayBuffer()).toString('utf8')).data.token);
  }
  const from = Array.from({ length: ADDRESSES }, (_, i) => pool(l.info.url, `127.0.1.${i + 1}`));
  // bare node:http is driven the same way (the same addresses, as many connections), so that the ratio is
  // the cost of the limiter's table and not of the number of sockets the server holds.
  const bareFrom = Array.from({ length: ADDRESSES }, (_, i) => pool(b.info.url, `127.0.1.${i + 1}`));
  const pairs = KEYS * ADDRESSES;
  // Request i goes from address i mod ADDRESSES with key ⌊i / ADDRESSES⌋ mod KEYS: the first `pairs` requests meet every pair once.
  const spread = (i) => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: { authorization: `Bearer ${tokens[Math.floor(i / ADDRESSES) % KEYS]}` } });
  const t0 = performance.now();
  const fill = await cpuPerRequest(l.pid, from, pairs, spread);
  console.log(`serve limiter filled with ${pairs} (key, IP) pairs     ${us(fill)} per request while filling (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  await compare(`serve (${pairs} pairs) / bare  GET manifest`, 1.3, (n) => cpuPerRequest(l.pid, from, n, spread), (n) => cpuPerRequest(b.pid, bareFrom, n, spread));
  for (const p of [lPool, bPool, ...from, ...bareFrom]) await p.close();
  await l.stop();
  await b.stop();
}

/** Wall time of one whole process (node start included) and its verdict from report.json. */
function wholeRun(args, out = '.tmp/bench-perf') {
  rmSync(`${out}/report.json`, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [CLI, ...args, '--reporter', 'json', '--out', out], { encoding: 'utf8' });
  const ms = performance.now() - t0;
  let verdict = `exit ${r.status}`;
  try { verdict = `${JSON.parse(readFileSync(`${out}/report.json`, 'utf8')).verdict} (exit ${r.status})`; } catch { /* the exit code says it */ }
  return { ms, verdict };
}

const s2 = (ms) => (ms / 1000).toFixed(2);

/**
 * Whole runs, each round alternating: `node -e 0` (the floor of any process), the embedded full profile, the
 * full profile over HTTP against a freshly started serve (the brief's 240 per 60 s), and the same run
 * against a freshly started authors' runtime.
 */
export async function wholeRunRows() {
  const rows = { node: [], embedded: [], serve: [], authors: [] };
  let verdicts = {};
  const authorsBuilt = (() => { try { readFileSync(`${AUTHORS}/dist/reference-server.js`); return true; } catch { return false; } })();
  // A server already on the authors' port would be measured in their place: then no comparison row.
  const portTaken = authorsBuilt && (await fetch(`http://127.0.0.1:${AUTHORS_PORT}/healthz`).then(() => true, () => false));
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    rows.node.push(performance.now() - t0);
    const e = wholeRun(['run', '--seed', '7']);
    rows.embedded.push(e.ms);
    verdicts.embedded = e.verdict;
    const sv = await child([CLI, 'serve', '--json', '--port', '0']);
    const sAdmin = Object.entries(sv.info.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
    const h = wholeRun(['run', sv.info.url, ...sAdmin, '--profile', 'state-witness', '--safety', 'load', '--seed', '7']);
    await sv.stop();
    rows.serve.push(h.ms);
    verdicts.serve = h.verdict;
    if (authorsBuilt && !portTaken) {
      const a = spawnOwned(process.execPath, ['dist/reference-server.js'], { cwd: AUTHORS, env: { ...process.env, PORT: String(AUTHORS_PORT) }, stdio: 'ignore' });
      const url = `http://127.0.0.1:${AUTHORS_PORT}`;
      // Bounded wait for it to listen (at most 10 s).
      for (let k = 0; k < 100; k++) {
        try { await fetch(`${url}/healthz`); break; } catch { await new Promise((ok) => setTimeout(ok, 100)); }
      }
      const r = wholeRun(['run', url, '--admin-header', 'x-admin-user: admin_demo', '--profile', 'state-witness', '--safety', 'load', '--seed', '7']);
      a.kill('SIGTERM');
      await once(a, 'exit');
      rows.authors.push(r.ms);
      verdicts.authors = r.verdict;
    }
  }
  const line = (label, xs, extra = '') => console.log(`${label.padEnd(44)} ${s2(median(xs))} s median of ${xs.length}   [${xs.map(s2).join(' ')}]${extra}`);
  line('node -e 0 (the floor of a process)', rows.node);
  line('run --seed 7, embedded full profile', rows.embedded, `   ${verdicts.embedded}   ${goal(median(rows.embedded) / 1000, 1.0, ' s')}`);
  line('run state-witness vs fresh serve (240/60 s)', rows.serve, `   ${verdicts.serve}   ${goal(median(rows.serve) / 1000, 2.5, ' s')}`);
  if (rows.authors.length) {
    line(`run state-witness vs fresh authors' ${AUTHORS.split('/').at(-1)}`, rows.authors, `   ${verdicts.authors}`);
    const pairs = rows.serve.map((x, i) => x / rows.authors[i]);
    console.log(`serve / authors' runtime, same run: ${(median(rows.serve) / median(rows.authors)).toFixed(2)} of the medians, pairs [${pairs.map((r) => r.toFixed(2)).join(' ')}] ${goal(median(rows.serve) / median(rows.authors), 0.4)}`);
  } else if (portTaken) console.log(`(port ${AUTHORS_PORT} already answers: the authors' runtime was not started, no comparison row; BENCH_AUTHORS_PORT picks another)`);
  else console.log(`(the authors' runtime is not built at ${AUTHORS} (BENCH_AUTHORS): no comparison row)`);
}
