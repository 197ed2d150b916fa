// The GitHub Action's bridge (action.yml): turns <out>/gate.json into step outputs ($GITHUB_OUTPUT) and
// appends <out>/gate.md to the job summary ($GITHUB_STEP_SUMMARY). Usage: node gate-outputs.mjs OUT EXIT_CODE
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [out = 'openport-report', exitCode = '3'] = process.argv.slice(2);
const outputs = { 'exit-code': exitCode, 'report-dir': out };
const gateJson = join(out, 'gate.json');
if (existsSync(gateJson)) {
  const g = JSON.parse(readFileSync(gateJson, 'utf8'));
  const step = (name) => g.steps.find((s) => s.name === name)?.counts ?? {};
  const profile = step('profile');
  outputs.verdict = g.verdict;
  for (const s of ['pass', 'fail', 'warn', 'skip', 'blocked', 'error']) outputs[s] = String(profile[s] ?? 0);
  outputs.baselined = String(profile.baselined ?? 0);
  outputs.stale = String(step('baseline').stale ?? 0);
  outputs['tree-findings'] = String(step('release-tree').findings ?? 0);
  outputs['deployment-failures'] = String(step('deployment').failures ?? 0);
  outputs['deployment-warnings'] = String(step('deployment').warnings ?? 0);
  outputs['gate-json'] = gateJson;
} else {
  // The gate stopped before it could report (exit 2: usage or configuration error).
  outputs.verdict = exitCode === '2' ? 'usage-error' : 'incomplete';
}
for (const [key, file] of [['sarif', 'report.sarif'], ['junit', 'junit.xml'], ['summary', 'gate.md'], ['report-json', 'report.json']]) {
  if (existsSync(join(out, file))) outputs[key] = join(out, file);
}
if (process.env.GITHUB_OUTPUT) appendFileSync(process.env.GITHUB_OUTPUT, Object.entries(outputs).map(([k, v]) => `${k}=${v}\n`).join(''));
if (process.env.GITHUB_STEP_SUMMARY) {
  const md = join(out, 'gate.md');
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, existsSync(md) ? readFileSync(md, 'utf8') : `## OpenPort release gate: ${outputs.verdict} (exit ${exitCode})\n`);
}
