// npm run bench — prints throughput, latency, memory and wall-time figures. Never asserts; traffic stays on
// 127.0.0.1; every loop is bounded by a request count.
import { spawnSync } from 'node:child_process';
import { spawnOwned } from './owned-children.mjs';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import { createRuntime } from '../dist/src/runtime/index.js';
import { DEFAULT_STORE_LIMITS } from '../dist/src/runtime/store.js';
import { everyCapRaised, goal, serveCpuRows, wholeRunRows } from './bench-perf.mjs';

const CLI = new URL('../bin/openport-conform.js', import.meta.url).pathname;
const N = Number(process.env.BENCH_REQUESTS ?? 20000);
const CONC = 32;
/** Alternating rounds per server for the HTTP ratio, and whole-process runs per wall-time row (medians). */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** In flight and connections for the HTTP ratio, like `autocannon -c 10`. */
const HTTP_CONC = 10;

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };

function pct(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
function fmt(name, n, ms, lat) {
  lat.sort((a, b) => a - b);
  const rps = Math.round((n / ms) * 1000);
  console.log(`${name.padEnd(44)} ${String(rps).padStart(7)} req/s   p50 ${pct(lat, 50).toFixed(3)} ms   p99 ${pct(lat, 99).toFixed(3)} ms   (${n} requests)`);
  return rps;
}

/** `n` requests, `conc` in flight, each sent by `send` (which resolves to the HTTP status); prints the row. */
async function load(name, n, send, conc = CONC) {
  const lat = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: conc }, async () => {
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

async function overHttp(url, name, req, n, conc = CONC) {
  const pool = new Pool(url, { connections: Math.min(conc, 16), pipelining: 1 });
  try {
    return await load(name, n, async () => {
      const r = req();
      const res = await pool.request({ method: r.method, path: r.path, headers: r.headers, body: r.body });
      await res.body.arrayBuffer();
      return res.statusCode;
    }, conc);
  } finally {
    await pool.close();
  }
}

async function startServe(limit = 1_000_000, windowMs = 60_000) {
  const child = spawnOwned(process.execPath, [CLI, 'serve', '--json', '--port', '0', '--rate-limit', String(limit), '--rate-window-ms', String(windowMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** Median wall time of RUNS whole processes (node start included), with every sample shown. */
function wall(label, args) {
  const samples = [];
  let r;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
    samples.push(performance.now() - t0);
  }
  let verdict = '';
  try { verdict = JSON.parse(readFileSync('.tmp/bench-report/report.json', 'utf8')).verdict; } catch { verdict = '(no report)'; }
  console.log(`${label.padEnd(44)} ${(median(samples) / 1000).toFixed(2)} s median of ${RUNS}   [${samples.map((ms) => (ms / 1000).toFixed(2)).join(' ')}]   exit ${r.status}   ${verdict.trim()}`);
}

/**
 * `mutate` as it runs by default (its faults on worker threads, one per core up to 4) against its own baseline in
 * the same rounds, alternating: the same matrix with every run on the main thread (--threads 0).
 */
function mutateRows(args, label, maxS) {
  const rows = { threads: [], main: [] };
  const outcome = {};
  const sides = [['threads', []], ['main', ['--threads', '0']]];
  for (let i = 0; i < RUNS; i++) {
    // Each round in the other order, so that neither side always follows the other.
    for (const [side, extra] of i % 2 === 0 ? sides : [...sides].reverse()) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [CLI, ...args, ...extra], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      rows[side].push(performance.now() - t0);
      let score = '(no report)';
      try { const { killed, total } = JSON.parse(r.stdout).score; score = `score ${killed}/${total}`; } catch { /* the exit code says it */ }
      outcome[side] = `${score}, exit ${r.status}`;
    }
  }
  const s = (ms) => (ms / 1000).toFixed(2);
  const line = (l, xs, extra) => console.log(`${l.padEnd(44)} ${s(median(xs))} s median of ${RUNS}   [${xs.map(s).join(' ')}]   ${extra}`);
  line(label, rows.threads, `${outcome.threads}   ${goal(median(rows.threads) / 1000, maxS, ' s')}`);
  line('  the same, --threads 0 (one thread)', rows.main, `${outcome.main}   ratio ${(median(rows.threads) / median(rows.main)).toFixed(2)}, pairs [${rows.threads.map((x, i) => (x / rows.main[i]).toFixed(2)).join(' ')}]`);
}

/** Both bindings' kill matrices, against their goals (README: ≤ 8 s over HTTP, ≤ 10 s over MCP). */
function mutateMatrices() {
  mutateRows(['mutate', '--json'], 'mutate (state-witness, every fault)', 8);
  mutateRows(['mutate', '--binding', 'mcp', '--json'], 'mutate --binding mcp (every fault)', 10);
}

/**
 * `fuzz --fuzz-runs N` with the evidence journal (--reporter json) and, as the baseline of the same rounds,
 * without it (--reporter pretty writes none). The journal must cost time in proportion to the bytes, not to
 * the secrets the run mints (one per persona and rotated key): 3000 runs at most 3.3 times 1000. 10 000 runs
 * must end complete, not INCOMPLETE at the journal's 64 MiB cap, and so must `run --fuzz-runs 10000`.
 */
function journalRows() {
  const out = '.tmp/bench-journal';
  // Besides wall time, the CPU time the run used (bash's `times`: user + sys of its children), which a busy
  // neighbour inflates far less than the wall clock.
  const once = (args) => {
    rmSync(`${out}/report.json`, { force: true });
    const t0 = performance.now();
    const r = spawnSync('bash', ['-c', '"$0" "$@" 2>/dev/null; code=$?; times >&2; exit $code', process.execPath, CLI, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ms = performance.now() - t0;
    const child = r.stderr.trim().split('\n').at(-1).split(/\s+/).map((t) => { const m = /^(\d+)m([\d.]+)s$/.exec(t); return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN; });
    let report;
    try { report = args.includes('json') ? JSON.parse(readFileSync(`${out}/report.json`, 'utf8')) : undefined; } catch { report = undefined; }
    const verdict = report?.verdict ?? /(CONFORMANT|NOT CONFORMANT|INCOMPLETE|SELECTION \w+)/.exec(r.stdout)?.[1] ?? '(no verdict)';
    // An incomplete run says why: a check past its wall deadline on a busy machine is not the journal's doing.
    const errors = (report?.results ?? []).filter((x) => x.status === 'error').map((x) => `${x.id}: ${x.message}`);
    return { ms, cpu: child[0] + child[1], exit: r.status, verdict: errors.length ? `${verdict} (${errors.join('; ')})` : verdict, journal: report?.evidence?.journal };
  };
  // No time budget (--fuzz-time 1 h): every property runs all its cases, so each row does the work it names
  // however busy the machine (the default 10 s per property would cut a slow round short).
  const budget = (runs) => ['--fuzz-runs', String(runs), '--fuzz-time', '3600000', '--seed', '7'];
  const fuzz = (runs, journal) => once(['fuzz', ...budget(runs), '--reporter', journal ? 'json' : 'pretty', '--out', out]);
  const s = (ms) => (ms / 1000).toFixed(2);
  const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  const rows = {};
  // Alternating rounds: a neighbour's burst slows journal and baseline runs of one round alike.
  for (let i = 0; i < RUNS; i++) {
    for (const n of [1000, 3000]) {
      for (const journal of [true, false]) (rows[`${n} ${journal}`] ??= []).push(fuzz(n, journal));
    }
  }
  const med = (key, what = 'ms') => median(rows[key].map((r) => r[what]));
  for (const n of [1000, 3000]) {
    const on = rows[`${n} true`], off = rows[`${n} false`];
    const j = on.at(-1).journal;
    console.log(`fuzz --fuzz-runs ${String(n).padEnd(5)} journal on / off      ${s(med(`${n} true`))} / ${s(med(`${n} false`))} s median of ${RUNS}   [${on.map((r) => s(r.ms)).join(' ')}] / [${off.map((r) => s(r.ms)).join(' ')}]   CPU ${s(med(`${n} true`, 'cpu'))} / ${s(med(`${n} false`, 'cpu'))} s   ${on.at(-1).verdict}, journal ${j ? `${j.entries} entries ${mib(j.bytes)}${j.truncated ? ' CUT' : ''}` : '(none)'}`);
  }
  const ratio = (what) => {
    const pairs = rows['3000 true'].map((r, i) => r[what] / rows['1000 true'][i][what]);
    return `${(med('3000 true', what) / med('1000 true', what)).toFixed(2)} of the medians, ${median(pairs).toFixed(2)} median of the ${RUNS} rounds [${pairs.map((r) => r.toFixed(2)).join(' ')}]`;
  };
  console.log(`fuzz 3000 / 1000 runs, journal on: wall ${ratio('ms')}; CPU ${ratio('cpu')} ${goal(med('3000 true') / med('1000 true'), 3.3)} (journal off: wall ${(med('3000 false') / med('1000 false')).toFixed(2)}, CPU ${(med('3000 false', 'cpu') / med('1000 false', 'cpu')).toFixed(2)})`);
  for (const command of ['fuzz', 'run']) {
    const label = `${command} --fuzz-runs 10000 (journal on, no time budget)`;
    const r = once([command, ...budget(10000), '--reporter', 'json', '--out', out]);
    const j = r.journal;
    console.log(`${label.padEnd(44)} ${s(r.ms)} s (one run, CPU ${s(r.cpu)} s)   exit ${r.exit}   ${r.verdict}, journal ${j ? `${j.entries} entries ${mib(j.bytes)} of ${mib(64 * 1024 * 1024)}${j.truncated ? ', CUT: the run is INCOMPLETE' : ', complete'}` : '(none)'}`);
  }
}

/**
 * The gate step of a CI job from a warm cache: a repository whose node_modules holds openport-conform
 * (linked to this built checkout, as `npm ci` leaves it) and a built dist/, and the recipe's gate step of
 * docs/ci.md run as CI runs it (bash, npx, every reporter) — against `serve` over loopback with the admin
 * header (the gate provisions its token at draft), and with OPENPORT_URL empty (the embedded runtime).
 * Installing and building are the cache's part and not timed. Goal: under 15 s.
 */
async function gateRows() {
  const root = new URL('..', import.meta.url).pathname;
  const repo = `${root}.tmp/bench-gate`;
  rmSync(repo, { recursive: true, force: true });
  mkdirSync(`${repo}/node_modules/.bin`, { recursive: true });
  mkdirSync(`${repo}/dist`);
  writeFileSync(`${repo}/package.json`, JSON.stringify({ name: 'gated-app', private: true, devDependencies: { 'openport-conform': `file:${root}` } }));
  writeFileSync(`${repo}/dist/app.js`, 'export const answer = 42;\n');
  symlinkSync(root, `${repo}/node_modules/openport-conform`);
  symlinkSync('../openport-conform/bin/openport-conform.js', `${repo}/node_modules/.bin/openport-conform`);
  // The step of the "CLI directly" recipe, verbatim but for the exit-code bookkeeping.
  const step = 'npx openport-conform gate ${OPENPORT_URL:+"$OPENPORT_URL" ${OPENPORT_ADMIN_HEADER:+--admin-header "$OPENPORT_ADMIN_HEADER"}} --scan dist --reporter pretty,json,junit,sarif,markdown --out openport-report';
  const row = (label, env) => {
    const samples = [];
    const cpu = [];
    let r;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      // Besides wall time, the CPU time the step used (bash's `times`: user + sys of its children), which a
      // busy neighbour on a shared machine inflates far less than the wall clock.
      r = spawnSync('bash', ['-c', `${step} >/dev/null 2>&1; code=$?; times >&2; exit $code`], { cwd: repo, env: { ...process.env, NO_COLOR: '1', ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      samples.push(performance.now() - t0);
      const child = r.stderr.trim().split('\n').at(-1).split(/\s+/).map((t) => { const m = /^(\d+)m([\d.]+)s$/.exec(t); return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN; });
      cpu.push(child[0] + child[1]);
    }
    let verdict = '(no gate.json)';
    try { verdict = JSON.parse(readFileSync(`${repo}/openport-report/gate.json`, 'utf8')).verdict; } catch { /* reported as such */ }
    const ms = median(samples);
    const s = (x) => (x / 1000).toFixed(2);
    console.log(`${label.padEnd(44)} ${s(ms)} s median of ${RUNS}   [${samples.map(s).join(' ')}]   CPU ${s(median(cpu))} s   exit ${r.status}   gate ${verdict}   (goal < 15 s: ${ms < 15_000 ? 'met' : 'NOT met'})`);
  };
  const served = await startServe(240, 60_000);
  const [name, value] = Object.entries(served.info.adminHeaders)[0];
  row('CI gate step vs serve (warm cache, draft)', { OPENPORT_URL: served.info.url, OPENPORT_ADMIN_HEADER: `${name}: ${value}` });
  served.child.kill('SIGTERM');
  await once(served.child, 'exit');
  row('CI gate step, embedded (warm cache, load)', { OPENPORT_URL: '', OPENPORT_ADMIN_HEADER: '' });
  rmSync(repo, { recursive: true, force: true });
}

// BENCH_ONLY=journal: only the evidence-journal rows (a few minutes); BENCH_ONLY=gate: only the CI gate step.
if (process.env.BENCH_ONLY === 'journal') {
  journalRows();
  process.exit(0);
}
// BENCH_ONLY=perf: only the floor rows (serve CPU per request against bare node:http, the limiter at 50 000
// pairs, whole runs against node start and against the authors' runtime).
if (process.env.BENCH_ONLY === 'perf') {
  await serveCpuRows();
  await wholeRunRows();
  process.exit(0);
}
if (process.env.BENCH_ONLY === 'gate') {
  await gateRows();
  process.exit(0);
}
// BENCH_ONLY=mutate: only the two kill matrices, each against itself on one thread.
if (process.env.BENCH_ONLY === 'mutate') {
  mutateMatrices();
  process.exit(0);
}

console.log(`openport-conform bench — node ${process.version}, ${N} requests per row, ${CONC} in flight\n`);

// --- the reference runtime's handler, in-process ---
// Store caps (docs/runtime-limits.md) raised so 20 000 drafts fit: the row measures the handler, not the cap.
const rt = createRuntime({ rateLimit: { limit: 1e9, windowMs: 60_000 }, limits: everyCapRaised(1e6) });
const tok = rt.bootstrap.agentToken;
const manifestReq = () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: { authorization: `Bearer ${tok}` }, clientIp: '127.0.0.1' });
let k = 0;
const actionBody = () => JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `bench ${k++}`, amount_home: 1 } });
const actionReq = () => ({ method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: actionBody(), clientIp: '127.0.0.1' });
await inProcess(rt, 'in-process  GET manifest', manifestReq, N);
await inProcess(rt, 'in-process  POST actions (draft)', actionReq, N);
const manifestBytes = (await rt.handle(manifestReq())).body;
await rt.close();
// One app's audit listing on a server whose log is full of other apps' events (docs/runtime-limits.md): 5 000
// apps made after it (the store caps raised), two events each. The log holds 10 002 events (it trims
// at 12 500), two of them the app's own: a listing that scanned the log would read all of them to find those.
{
  const big = createRuntime({ rateLimit: { limit: 1e9, windowMs: 60_000 }, limits: everyCapRaised(1e6) });
  const admin = { ...big.adminHeaders, 'content-type': 'application/json' };
  const app = (name) => big.handle({ method: 'POST', path: '/api/agent-admin/v1/apps', headers: admin, body: JSON.stringify({ scope: 'workspace', name, org_id: 'org_demo', scopes: ['ledger.read'] }), clientIp: '127.0.0.1' });
  const first = JSON.parse((await app('first')).body).data.app.id;
  for (let i = 0; i < 4_999; i++) if ((await app(`other ${i}`)).status !== 200) throw new Error('bench: app not created');
  await inProcess(big, 'in-process  GET audit?appId, log of others', () => ({ method: 'GET', path: `/api/agent-admin/v1/audit?appId=${first}&limit=50`, headers: big.adminHeaders, clientIp: '127.0.0.1' }), N);
  await big.close();
}
// A page of a ledger that holds 20 000 transactions (each drafted and approved; the store caps raised): the
// listing reads the ledger's own list, kept in order, not a sort of everything stored.
{
  const held = createRuntime({ rateLimit: { limit: 1e9, windowMs: 60_000 }, limits: everyCapRaised(1e6) });
  const agent = { authorization: `Bearer ${held.bootstrap.agentToken}`, 'content-type': 'application/json' };
  const admin = { ...held.adminHeaders, 'content-type': 'application/json' };
  for (let i = 0; i < 20_000; i++) {
    const drafted = await held.handle({ method: 'POST', path: '/api/agent/v1/actions', headers: agent, body: JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `held ${i}`, amount_home: 1 } }), clientIp: '127.0.0.1' });
    const approved = await held.handle({ method: 'POST', path: `/api/agent-admin/v1/drafts/${JSON.parse(drafted.body).data.draft.id}/approve`, headers: admin, body: '{}', clientIp: '127.0.0.1' });
    if (approved.status !== 200) throw new Error(`bench: transaction not created: ${approved.body}`);
  }
  await inProcess(held, 'in-process  GET transactions, 20 000 held', () => ({ method: 'GET', path: '/api/agent/v1/transactions?ledgerId=ledger_main&pageSize=20', headers: { authorization: agent.authorization }, clientIp: '127.0.0.1' }), Math.min(N, 2000));
  await held.close();
}

// --- bare node:http returning the same manifest bytes, in its own process like serve: the physical limit here ---
mkdirSync('.tmp', { recursive: true });
writeFileSync('.tmp/bench-manifest.json', manifestBytes);
const bare = spawnOwned(process.execPath, ['-e', `
  const body = require('fs').readFileSync('.tmp/bench-manifest.json');
  const s = require('http').createServer((q, r) => { r.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length }); r.end(body); });
  s.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ url: 'http://127.0.0.1:' + s.address().port })));`], { stdio: ['ignore', 'pipe', 'inherit'] });
const bareUrl = await new Promise((ok) => { let b = ''; bare.stdout.on('data', (d) => { b += d; const i = b.indexOf('\n'); if (i >= 0) ok(JSON.parse(b.slice(0, i)).url); }); });
const quiet = (fn) => { const log = console.log; console.log = () => {}; return fn().finally(() => { console.log = log; }); };

// --- the runtime served by `openport-conform serve` in its own process ---
const { child, info } = await startServe();
const h = { authorization: `Bearer ${info.agentToken}` };
const bareReq = () => ({ method: 'GET', path: '/x' });
const serveReq = () => ({ method: 'GET', path: '/api/agent/v1/manifest', headers: h });
// Both servers get the same warm-up (JIT, connection pool), then ROUNDS alternating rounds each: a noisy
// neighbour on the machine slows both alike, and the medians are compared, never a single sample.
await quiet(() => overHttp(bareUrl, 'warm-up', bareReq, 5000, HTTP_CONC));
await quiet(() => overHttp(info.url, 'warm-up', serveReq, 5000, HTTP_CONC));
const bareRounds = [];
const serveRounds = [];
for (let i = 0; i < ROUNDS; i++) {
  bareRounds.push(await quiet(() => overHttp(bareUrl, 'bare', bareReq, N, HTTP_CONC)));
  serveRounds.push(await quiet(() => overHttp(info.url, 'serve', serveReq, N, HTTP_CONC)));
}
bare.kill('SIGTERM');
const bareRps = median(bareRounds);
const httpRps = median(serveRounds);
console.log(`bare node:http  GET (same bytes, child)      ${String(Math.round(bareRps)).padStart(7)} req/s median of ${ROUNDS} rounds [${bareRounds.join(' ')}]   (${N} requests, ${HTTP_CONC} in flight)`);
console.log(`HTTP        GET manifest (serve, child)      ${String(Math.round(httpRps)).padStart(7)} req/s median of ${ROUNDS} rounds [${serveRounds.join(' ')}]`);
// A neighbour's burst slows the two rounds of one pair alike: the median of the per-pair ratios is the steadier figure.
const pairRatios = serveRounds.map((s, i) => s / bareRounds[i]);
console.log(`HTTP manifest serve / bare ratio: ${(httpRps / bareRps).toFixed(2)} of the medians, ${median(pairRatios).toFixed(2)} median of the ${ROUNDS} round pairs [${pairRatios.map((r) => r.toFixed(2)).join(' ')}] (goal ≥ 0.7: ${httpRps / bareRps >= 0.7 ? 'met' : 'NOT met'})`);
await overHttp(info.url, 'HTTP        GET manifest (to 200k total)', serveReq, Math.max(1, 200_000 - (ROUNDS * N + 5000)));
const servedRss = rssOf(child.pid);
console.log(`serve RSS after 200,000 manifest requests: ${servedRss} MB (goal < 150 MB: ${servedRss < 150 ? 'met' : 'NOT met'})`);
// serve keeps at most DEFAULT_STORE_LIMITS.appDrafts pending drafts per app (docs/runtime-limits.md): the draft
// row, all of one app, stays within that cap.
const DRAFTS = Math.min(N, DEFAULT_STORE_LIMITS.appDrafts);
await overHttp(info.url, 'HTTP        POST actions (draft)', () => ({ method: 'POST', path: '/api/agent/v1/actions', headers: { ...h, 'content-type': 'application/json' }, body: actionBody() }), DRAFTS);
console.log(`serve RSS after those + ${DRAFTS} drafts it keeps: ${rssOf(child.pid)} MB (drafts are state: they stay readable)\n`);

child.kill('SIGTERM');
await once(child, 'exit');
// BENCH_ONLY=http stops here: the throughput rows without the (minutes of) whole-process runs.
if (process.env.BENCH_ONLY === 'http') process.exit(0);

// --- whole runs, node start included ---
wall('run (embedded, default profile)', ['run', '--reporter', 'json', '--out', '.tmp/bench-report']);
wall('run --profile core (embedded)', ['run', '--profile', 'core', '--reporter', 'json', '--out', '.tmp/bench-report']);
wall('run --profile state-witness (embedded)', ['run', '--profile', 'state-witness', '--reporter', 'json', '--out', '.tmp/bench-report']);
// Whole runs over HTTP need a rate limit the ADM checks can exhaust: the same 30 per second as embedded runs.
writeFileSync('.tmp/bench-target.yaml', 'extends: demo\nrateLimit:\n  limit: 30\n  windowMs: 1000\n');
const limited = await startServe(30, 1000);
const admin = Object.entries(limited.info.adminHeaders).flatMap(([n, v]) => ['--admin-header', `${n}: ${v}`]);
const httpArgs = [limited.info.url, '--safety', 'load', '--token', limited.info.agentToken, ...admin, '--target', '.tmp/bench-target.yaml', '--reporter', 'json', '--out', '.tmp/bench-report'];
wall('run core over loopback HTTP (safety load)', ['run', ...httpArgs, '--profile', 'core']);
wall('run state-witness over loopback HTTP', ['run', ...httpArgs, '--profile', 'state-witness']);
limited.child.kill('SIGTERM');
await once(limited.child, 'exit');
// The brief's own window (240 per 60 s): Retry-After is proven to count down, not slept out.
const brief = await startServe(240, 60_000);
const briefAdmin = Object.entries(brief.info.adminHeaders).flatMap(([n, v]) => ['--admin-header', `${n}: ${v}`]);
wall('run state-witness vs serve (240 per 60 s)', ['run', brief.info.url, '--safety', 'load', '--token', brief.info.agentToken, ...briefAdmin, '--profile', 'state-witness', '--reporter', 'json', '--out', '.tmp/bench-report']);
brief.child.kill('SIGTERM');
await once(brief.child, 'exit');
mutateMatrices();
await gateRows();
console.log('');
await serveCpuRows();
await wholeRunRows();
console.log('');
journalRows();
console.log('');
// Generated fuzz requests per second (in-process and over loopback HTTP).
spawnSync(process.execPath, [new URL('./bench-fuzz.mjs', import.meta.url).pathname, '20000'], { stdio: 'inherit' });
// Generated-input checks against a server already holding 200 000 drafts, against a fresh one.
spawnSync(process.execPath, [new URL('./bench-drafts.mjs', import.meta.url).pathname, '200000'], { stdio: 'inherit' });
