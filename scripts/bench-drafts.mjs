// Generated-input checks over HTTP against a server that already holds 200 000 drafts, against a fresh one,
// alternating rounds: the drafts listing is indexed by app and paged, so the rate must not depend on the
// table. The runtime's store caps (docs/runtime-limits.md) are raised for the experiment.
import { execFile } from 'node:child_process';
const { createRuntime, startHttpServer } = await import('../dist/src/runtime/index.js');
const { everyCapRaised } = await import('./bench-perf.mjs');
const HELD = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

async function serveWith(drafts) {
  const rt = createRuntime({ rateLimit: { limit: 1e9, windowMs: 60_000 }, limits: everyCapRaised(HELD + 100_000) });
  const tok = rt.bootstrap.agentToken;
  for (let i = 0; i < drafts; i++) {
    const r = await rt.handle({ method: 'POST', path: '/api/agent/v1/actions', headers: { authorization: `Bearer ${tok}`, 'content-type': 'application/json' }, body: JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: `held ${i}`, amount_home: 1 } }), clientIp: '127.0.0.1' });
    if (r.status !== 200) throw new Error(`draft ${i}: HTTP ${r.status}`);
  }
  return { rt, server: await startHttpServer(rt) };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = { 0: [], [HELD]: [] };
for (let round = 0; round < ROUNDS; round++) {
  for (const drafts of [0, HELD]) {
    const { rt, server } = await serveWith(drafts);
    const admin = Object.entries(rt.adminHeaders).flatMap(([n, v]) => ['--admin-header', `${n}: ${v}`]);
    const only = ['FUZZ-001', 'FUZZ-002', 'FUZZ-003', 'FUZZ-004'].flatMap((x) => ['--only', x]);
    const t0 = performance.now();
    // Async: the server runs in this process and must keep answering while the CLI child runs.
    const code = await new Promise((done) => execFile(process.execPath, ['bin/openport-conform.js', 'fuzz', server.url, ...admin, '--safety', 'load', ...only, '--seed', '7', '--reporter', 'json', '--out', '.tmp/bench-fuzz-drafts'], (e) => done(e ? e.code : 0)));
    times[drafts].push((performance.now() - t0) / 1000);
    if (code !== 0) throw new Error(`fuzz against ${drafts} drafts exited ${code}`);
    await server.close();
    await rt.close();
  }
}
const fresh = median(times[0]);
const held = median(times[HELD]);
console.log(`fuzz FUZZ-001..004 over HTTP: fresh server ${fresh.toFixed(2)} s, holding ${HELD} drafts ${held.toFixed(2)} s (ratio ${(held / fresh).toFixed(2)}; medians of ${ROUNDS} alternating rounds)`);
