// The GitHub Action's bridge (action.yml): turns <out>/gate.json into step outputs ($GITHUB_OUTPUT) and
// appends <out>/gate.md to the job summary ($GITHUB_STEP_SUMMARY).
// Usage: node gate-outputs.mjs OUT EXIT_CODE [STARTED_MS]. Files older than STARTED_MS (when the gate step
// began) are an earlier run's, left in OUT by a gate that stopped before writing its own: they are ignored.
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const [out = 'openport-report', exitCode = '3', startedMs = '0'] = process.argv.slice(2);
// Whole seconds: a file system that keeps mtimes to the second still counts this run's files as fresh.
const fresh = (file) => existsSync(file) && statSync(file).mtimeMs >= Math.floor(Number(startedMs) / 1000) * 1000;
const outputs = { 'exit-code': exitCode, 'report-dir': out };
const gateJson = join(out, 'gate.json');
if (fresh(gateJson)) {
  const g = JSON.parse(readFileSync(gateJson, 'utf8'));
  const step = (name) => g.steps.find((s) => s.name === name)?.counts ?? {};
  const profile = step('profile');
  const tree = step('release-tree');
  outputs.verdict = g.verdict;
  for (const s of ['pass', 'fail', 'warn', 'skip', 'blocked', 'error']) outputs[s] = String(profile[s] ?? 0);
  // The baseline accepts profile results and release-tree findings alike; its stale entries are of both kinds.
  outputs.baselined = String((profile.baselined ?? 0) + (tree.baselined ?? 0));
  outputs.stale = String((step('baseline').stale ?? 0) + (tree.staleEntries ?? 0));
  outputs['tree-findings'] = String(step('release-tree').findings ?? 0);
  outputs['deployment-failures'] = String(step('deployment').failures ?? 0);
  outputs['deployment-warnings'] = String(step('deployment').warnings ?? 0);
  outputs['gate-json'] = gateJson;
} else {
  // The gate stopped before it could report (exit 2: usage or configuration error).
  outputs.verdict = exitCode === '2' ? 'usage-error' : 'incomplete';
}
for (const [key, file] of [['sarif', 'report.sarif'], ['junit', 'junit.xml'], ['summary', 'gate.md'], ['report-json', 'report.json']]) {
  if (fresh(join(out, file))) outputs[key] = join(out, file);
}
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
if (process.env.GITHUB_STEP_SUMMARY) {
  const md = join(out, 'gate.md');
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, fresh(md) ? readFileSync(md, 'utf8') : `## OpenPort release gate: ${outputs.verdict} (exit ${exitCode})\n`);
}
