// npm run soak — robustness figures, never part of CI, never asserted by tests. Prints one line per figure
// and exits 1 when a goal is missed. Traffic stays on 127.0.0.1; every loop is bounded by a count, and the
// whole script by SOAK_DEADLINE_MS. SOAK_SCALE (default 1) scales every request count (0.1 for a quick look).
//  1. peak RSS of `run` against each hostile server (goal < 400 MB)
//  2. `serve` under 100 000 hostile requests at 32 connections: 5xx count, resets (goal 0 and 0)
//  3. `serve` RSS after 1 000 000 mixed requests, 100 000 of them writes with junk fields (goal < 200 MB)
//  4. exactly-once: 64 concurrent identical idempotent executes, 20 rounds (goal: one execution each)
//  5. audit file complete after SIGTERM mid-load (goal: one line per answered audited request, by request id)
//  6. two tenants: one org_demo key writing (drafts, preflights, idempotent executes) at full rate for
//     SOAK_TENANT_MS, a second tenant's app writing slowly all along (goal: none of its writes fails)
import { spawnOwned } from './owned-children.mjs';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { HOSTILE_NAMES, startHostile } from './hostile-servers.mjs';

const CLI = new URL('../bin/openport-conform.js', import.meta.url).pathname;
const SCALE = Number(process.env.SOAK_SCALE ?? 1);
const DEADLINE = Date.now() + Number(process.env.SOAK_DEADLINE_MS ?? 30 * 60_000);
const n = (x) => Math.max(1, Math.round(x * SCALE));
const work = mkdtempSync(join(tmpdir(), 'opc-soak-'));
const AGENT = '/api/agent/v1';
const ADMIN = '/api/agent-admin/v1';
const missed = [];

function figure(name, value, goal, ok) {
  console.log(`${ok ? 'ok  ' : 'MISS'} ${name.padEnd(64)} ${String(value).padStart(12)}   goal ${goal}`);
  if (!ok) missed.push(name);
}

function checkDeadline() {
  if (Date.now() > DEADLINE) throw new Error('soak: SOAK_DEADLINE_MS passed; stopping');
}

/** Peak and current RSS of a process in MB, from /proc (Linux). */
function rssOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(s)?.[1] ?? 0);
    return { peak: kb('VmHWM') / 1024, now: kb('VmRSS') / 1024 };
  } catch {
    return undefined;
  }
}

/** Spawn the CLI and resolve with its exit code and the highest peak RSS seen (polled every 50 ms). */
function runCli(args, killAfterMs) {
  return new Promise((resolve) => {
    const child = spawnOwned(process.execPath, [CLI, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
    let peak = 0;
    const poll = setInterval(() => (peak = Math.max(peak, rssOf(child.pid)?.peak ?? 0)), 50);
    const kill = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      clearTimeout(kill);
      resolve({ code, signal, peak });
    });
  });
}

async function startServe(extra = []) {
  const child = spawnOwned(process.execPath, [CLI, 'serve', '--json', '--port', '0', '--rate-limit', '1000000', '--rate-window-ms', '60000', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const i = buf.indexOf('\n');
      if (i >= 0) resolve(buf.slice(0, i));
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}`)));
  });
  const info = JSON.parse(line);
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
  return { child, ...info, stop };
}

/** `total` requests, `conc` in flight; `make(i)` builds request i; `onDone(res|err, i)` tallies. */
async function load(pool, total, conc, make, onDone) {
  let next = 0;
  await Promise.all(Array.from({ length: conc }, async () => {
    while (next < total) {
      const i = next++;
      if (i % 10_000 === 0) checkDeadline();
      const r = make(i);
      try {
        const res = await pool.request(r);
        const text = await res.body.text();
        onDone({ status: res.statusCode, text }, i);
      } catch (err) {
        onDone({ error: err }, i);
      }
    }
  }));
}

const auth = (token) => ({ authorization: `Bearer ${token}` });
const json = { 'content-type': 'application/json' };

// 1. Peak RSS of `run` per hostile server.
async function hostileRss() {
  for (const name of HOSTILE_NAMES) {
    checkDeadline();
    const s = await startHostile(name);
    const r = await runCli(['run', s.url, '--token', 'op_x', '--admin-header', 'authorization: Bearer adm_s3cr3t', '--safety', 'load', '--profile', 'state-witness',
      '--timeout', '2000', '--out', join(work, `hostile-${name}`), '--reporter', 'json'], 600_000);
    await s.close();
    figure(`run vs ${name}: peak RSS MB (exit ${r.code ?? r.signal})`, r.peak.toFixed(0), '< 400', r.peak < 400 && r.signal === null);
  }
}

// 2. 100 000 hostile requests against serve.
async function hostileServe() {
  const srv = await startServe();
  const pool = new Pool(srv.url, { connections: 32, pipelining: 1, bodyTimeout: 30_000, headersTimeout: 30_000 });
  const big = 'x'.repeat(1024 * 1024 + 100 * 1024);
  const deep = `{"action":"transaction.create","payload":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  const kinds = [
    () => ({ method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(srv.agentToken), ...json }, body: big }),
    () => ({ method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(srv.agentToken), ...json }, body: '{"action": "' }),
    () => ({ method: 'POST', path: `${AGENT}/preflight`, headers: { ...auth(srv.agentToken), ...json }, body: deep }),
    () => ({ method: 'GET', path: `${AGENT}/transactions?ledgerId=${'%00'.repeat(2000)}&pageSize=-1`, headers: auth(srv.agentToken) }),
    () => ({ method: 'POST', path: `${ADMIN}/apps`, headers: { ...srv.adminHeaders, ...json }, body: JSON.stringify({ scope: 'workspace', name: 'x'.repeat(5000) }) }),
    () => ({ method: 'GET', path: `${AGENT}/manifest`, headers: { authorization: `Bearer op_${'A'.repeat(200)}` } }),
    () => ({ method: 'DELETE', path: `${AGENT}/drafts/${'%ff'.repeat(50)}`, headers: auth(srv.agentToken) }),
    () => ({ method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(srv.agentToken), 'content-type': 'text/plain' }, body: 'action=transaction.create' }),
  ];
  let s5xx = 0;
  let resets = 0;
  let oversized = 0;
  const total = n(100_000);
  // One oversized body in 20: 5 000 bodies of 1.1 MiB at scale 1.
  await load(pool, total, 32, (i) => (i % 20 === 0 ? kinds[0]() : kinds[1 + (i % (kinds.length - 1))]()), (r, i) => {
    if (i % 20 === 0) oversized++;
    if (r.error) resets++;
    else if (r.status >= 500) s5xx++;
  });
  await pool.close();
  const rss = rssOf(srv.child.pid);
  await srv.stop();
  figure(`serve: ${total} hostile requests (${oversized} oversized) at 32 conns: 5xx`, s5xx, '0', s5xx === 0);
  figure('serve: resets / failed requests among them', resets, '0', resets === 0);
  figure('serve: RSS MB after the hostile load', rss?.now.toFixed(0), '(info)', true);
}

// 3. RSS after 1 000 000 mixed requests, 100 000 writes with junk fields.
async function mixedRss() {
  const srv = await startServe();
  const pool = new Pool(srv.url, { connections: 32, pipelining: 1 });
  const junk = 'j'.repeat(8 * 1024);
  const write = (i) => JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `soak ${i}`, amount_home: 1, junk, more: { junk } } });
  const kinds = [
    () => ({ method: 'GET', path: `${AGENT}/manifest`, headers: auth(srv.agentToken) }),
    () => ({ method: 'GET', path: `${AGENT}/ledgers`, headers: auth(srv.agentToken) }),
    () => ({ method: 'GET', path: `${AGENT}/transactions?ledgerId=ledger_main&pageSize=20`, headers: auth(srv.agentToken) }),
    () => ({ method: 'GET', path: `${ADMIN}/drafts?appId=${srv.appId}&limit=50`, headers: srv.adminHeaders }),
    () => ({ method: 'GET', path: `${ADMIN}/audit?limit=50`, headers: srv.adminHeaders }),
    () => ({ method: 'GET', path: `${AGENT}/drafts/drf_missing`, headers: auth(srv.agentToken) }),
    () => ({ method: 'POST', path: `${AGENT}/preflight`, headers: { ...auth(srv.agentToken), ...json }, body: JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: 't', amount_home: 1 } }) }),
    () => ({ method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(srv.agentToken), ...json }, body: '{"action": "' }),
    () => ({ method: 'GET', path: '/healthz', headers: {} }),
  ];
  const total = n(1_000_000);
  const statuses = new Map();
  let failed = 0;
  let maxRss = 0;
  await load(pool, total, 32, (i) => (i % 10 === 0 ? { method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(srv.agentToken), ...json }, body: write(i) } : kinds[i % kinds.length]()), (r, i) => {
    if (r.error) failed++;
    else statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    if (i % 50_000 === 0) maxRss = Math.max(maxRss, rssOf(srv.child.pid)?.now ?? 0);
  });
  await pool.close();
  const rss = rssOf(srv.child.pid);
  await srv.stop();
  figure(`serve: RSS MB after ${total} mixed requests (${n(100_000)} junk writes)`, rss?.now.toFixed(0), '< 200', (rss?.now ?? Infinity) < 200);
  figure('serve: highest RSS MB sampled during the mixed load', maxRss.toFixed(0), '(info)', true);
  figure(`serve: statuses ${[...statuses].map(([s, c]) => `${s}×${c}`).join(' ')}`, failed, '0 failed', failed === 0 && ![...statuses.keys()].some((s) => s >= 500));
}

// 4. Exactly-once under 64 concurrent identical idempotent executes, 20 rounds.
async function exactlyOnce() {
  const srv = await startServe();
  const pool = new Pool(srv.url, { connections: 64, pipelining: 1 });
  const admin = async (method, path, body) => JSON.parse(await (await pool.request({ method, path: `${ADMIN}${path}`, headers: { ...srv.adminHeaders, ...json }, body: body && JSON.stringify(body) })).body.text());
  const created = await admin('POST', '/apps', { scope: 'workspace', name: 'soak exactly-once', org_id: 'org_demo', scopes: ['ledger.read', 'transaction.read', 'transaction.write'] });
  const appId = created.data.app.id;
  const token = created.data.token;
  await admin('PATCH', `/apps/${appId}/auto-execute`, { writes: { enabled: true, expires_at: new Date(Date.now() + 3_600_000).toISOString(), allowed_actions: ['transaction.create'] } });
  let bad = 0;
  for (let round = 0; round < 20; round++) {
    const body = JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `once ${round}`, amount_home: 1 }, execute: true, idempotencyKey: `soak-once-${round}` });
    const answers = await Promise.all(Array.from({ length: 64 }, async () => JSON.parse(await (await pool.request({ method: 'POST', path: `${AGENT}/actions`, headers: { ...auth(token), ...json }, body })).body.text())));
    const executions = new Set(answers.map((a) => a.data?.execution?.id).filter(Boolean));
    const fresh = answers.filter((a) => a.data?.status === 'executed' && !a.data.replayed).length;
    if (executions.size !== 1 || fresh !== 1) bad++;
  }
  const drafts = await admin('GET', `/drafts?appId=${appId}&status=confirmed&limit=1000`);
  await pool.close();
  await srv.stop();
  figure('exactly-once: rounds of 64 concurrent executes with != 1 execution', bad, '0 of 20', bad === 0);
  figure('exactly-once: confirmed drafts after 20 rounds', drafts.data.items.length, '20', drafts.data.items.length === 20);
}

// 5. Audit file complete after SIGTERM mid-load.
async function auditAfterSigterm() {
  const file = join(work, 'audit.jsonl');
  const srv = await startServe(['--audit-file', file]);
  const pool = new Pool(srv.url, { connections: 32, pipelining: 1 });
  const answered = new Set();
  let sent = 0;
  setTimeout(() => srv.child.kill('SIGTERM'), 1500);
  await load(pool, n(200_000), 32, (i) => {
    sent++;
    return { method: 'GET', path: `${AGENT}/ledgers`, headers: { ...auth(srv.agentToken), 'x-request-id': `soak-${i}` } };
  }, (r, i) => {
    if (!r.error && r.status === 200) answered.add(`soak-${i}`);
  }).catch(() => undefined);
  await pool.destroy().catch(() => undefined);
  const code = await srv.stop();
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
  let unparsable = 0;
  const logged = new Set();
  for (const l of lines) {
    try {
      logged.add(JSON.parse(l).request_id);
    } catch {
      unparsable++;
    }
  }
  const missing = [...answered].filter((id) => !logged.has(id)).length;
  figure(`audit after SIGTERM (exit ${code}): answered ${answered.size} of ${sent} attempted; missing lines`, missing, '0', missing === 0);
  figure('audit after SIGTERM: unparsable lines', unparsable, '0', unparsable === 0);
}

// 6. One tenant at full rate cannot make another tenant's writes fail.
async function twoTenants() {
  const ms = Number(process.env.SOAK_TENANT_MS ?? 120_000) * SCALE;
  // Small caps, so that the busy tenant reaches them well within the soak — its two apps together fill the
  // tenant's share before either fills its own (the default caps
  // take ~20 minutes at the default rate); the server-wide caps stay at their defaults.
  const srv = await startServe(['--tenant-drafts', '2000', '--tenant-preflights', '2000', '--tenant-idempotency', '2000', '--app-drafts', '1500', '--app-preflights', '1500', '--app-idempotency', '1500']);
  const pool = new Pool(srv.url, { connections: 40, pipelining: 1 });
  const admin = async (method, path, body) => JSON.parse(await (await pool.request({ method, path: `${ADMIN}${path}`, headers: { ...srv.adminHeaders, ...json }, body: body && JSON.stringify(body) })).body.text());
  const window = { enabled: true, expires_at: new Date(Date.now() + 3_600_000).toISOString(), allowed_actions: ['transaction.create'] };
  const apps = [];
  for (const org of ['org_demo', 'org_demo', 'org_other']) {
    const created = await admin('POST', '/apps', { scope: 'workspace', name: `soak tenant ${org}`, org_id: org, scopes: ['transaction.read', 'transaction.write'] });
    await admin('PATCH', `/apps/${created.data.app.id}/auto-execute`, { writes: window });
    apps.push({ org, token: created.data.token, ledgerId: org === 'org_demo' ? 'ledger_main' : 'ledger_other' });
  }
  const [busyA, busyB, quiet] = apps;
  const body = (app, i, kind) => {
    const payload = { ledgerId: app.ledgerId, kind: 'expense', title: `tenant ${i}`, amount_home: 1 };
    if (kind === 0) return { path: `${AGENT}/preflight`, body: { action: 'transaction.create', payload } };
    if (kind === 1) return { path: `${AGENT}/actions`, body: { action: 'transaction.create', payload } };
    return { path: `${AGENT}/actions`, body: { action: 'transaction.create', payload, execute: true, idempotencyKey: `soak-${app.org}-${i}` } };
  };
  const send = async (app, i, kind) => {
    const b = body(app, i, kind);
    const res = await pool.request({ method: 'POST', path: b.path, headers: { ...auth(app.token), ...json }, body: JSON.stringify(b.body) });
    return { status: res.statusCode, json: JSON.parse(await res.body.text()) };
  };
  const end = Date.now() + ms;
  const busy = { sent: 0, refused: 0, byScope: new Map() };
  const quietTally = { sent: 0, failed: 0, examples: [] };
  const hammer = async (app) => {
    // Bounded twice: by the clock and by a count no run reaches.
    for (let i = 0; i < 50_000_000 && Date.now() < end; i++) {
      if (i % 10_000 === 0) checkDeadline();
      const r = await send(app, `${app === busyA ? 'a' : 'b'}${busy.sent}`, busy.sent % 3).catch(() => ({ status: 0 }));
      busy.sent++;
      if (r.status === 429) {
        busy.refused++;
        const scope = r.json?.details?.scope ?? 'rate';
        busy.byScope.set(scope, (busy.byScope.get(scope) ?? 0) + 1);
      }
    }
  };
  const steady = async () => {
    for (let i = 0; i < 1_000_000 && Date.now() < end; i++) {
      const r = await send(quiet, i, i % 3).catch((e) => ({ status: 0, json: { message: String(e) } }));
      quietTally.sent++;
      if (r.status !== 200) {
        quietTally.failed++;
        if (quietTally.examples.length < 3) quietTally.examples.push(`${r.status} ${r.json?.code ?? ''} ${r.json?.details?.scope ?? ''}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([...Array.from({ length: 19 }, () => hammer(busyA)), ...Array.from({ length: 19 }, () => hammer(busyB)), steady()]);
  await pool.close();
  await srv.stop();
  const scopes = [...busy.byScope].map(([k, v]) => `${k}×${v}`).join(' ');
  figure(`two tenants ${(ms / 1000).toFixed(0)} s: busy org_demo writes sent / refused 429 (${scopes})`, `${busy.sent}/${busy.refused}`, '(info)', true);
  figure(`two tenants: org_other writes failed of ${quietTally.sent}${quietTally.examples.length ? ` (${quietTally.examples.join('; ')})` : ''}`, quietTally.failed, '0', quietTally.failed === 0 && quietTally.sent > 0);
}

const parts = { hostileRss, hostileServe, mixedRss, exactlyOnce, auditAfterSigterm, twoTenants };
const only = process.env.SOAK_ONLY?.split(',');
console.log(`soak: scale ${SCALE}, node ${process.version}`);
for (const [name, fn] of Object.entries(parts)) {
  if (only && !only.includes(name)) continue;
  const t0 = Date.now();
  await fn();
  console.log(`     (${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s)`);
}
if (missed.length) {
  console.log(`soak: ${missed.length} goal(s) missed`);
  process.exit(1);
}
console.log('soak: every goal met');
