import { CHECKS } from '/work/main/dist/suites/index.js';
import { run } from '/work/main/dist/src/runner/run.js';
const n = Number(process.argv[2] ?? 6);
for (let i = 0; i < n; i++) {
  const u0 = process.cpuUsage(); const t0 = performance.now();
  const r = await run({ checks: CHECKS, seed: 7 + i, profile: 'state-witness', safety: 'load', out: `/tmp/warm${i % 2}` });
  const u = process.cpuUsage(u0);
  console.log(i, r.summary.pass, 'wall', (performance.now() - t0).toFixed(0), 'cpu', ((u.user + u.system) / 1000).toFixed(0));
}
