// The flake detector: compares two vitest JSON reports of the same suite on the same commit and Node
// (.ci/run runs the suite twice on the Node LTS) and lists every test whose outcome differs, with the
// failure message of the run it failed in. Prints "no flaky test" when both agree. Exits 0 either way: a
// flaky test also failed one of the runs, which already fails the job; this names it as a flake.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  process.stderr.write('usage: node scripts/flakes.mjs <first vitest-results.json> <second vitest-results.json>\n');
  process.exit(2);
}

/** file › full test name → { status, message } */
function outcomes(file) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    process.stdout.write(`flake detector: cannot compare, ${file} is missing or unreadable (${e.message})\n`);
    process.exit(0);
  }
  const out = new Map();
  for (const suite of report.testResults) {
    const where = relative(process.cwd(), suite.name);
    for (const t of suite.assertionResults) out.set(`${where} › ${t.fullName}`, { status: t.status, message: (t.failureMessages ?? []).join('\n').split('\n')[0] ?? '' });
    // A file that failed to load has no assertions: its status is the outcome.
    if (suite.assertionResults.length === 0) out.set(`${where} › (file)`, { status: suite.status, message: suite.message ?? '' });
  }
  return out;
}

const first = outcomes(a);
const second = outcomes(b);
// A test named after a random parameter (a seed) has another name in each run: it cannot be compared.
const both = [...first.keys()].filter((k) => second.has(k));
const unmatched = first.size - both.length;
const differing = both.filter((k) => first.get(k).status !== second.get(k).status).sort();
const aside = unmatched ? `; ${unmatched} named after a random parameter, not compared` : '';
if (differing.length === 0) {
  process.stdout.write(`flake detector: no flaky test (${both.length} tests, same outcome in both runs${aside})\n`);
} else {
  process.stdout.write(`flake detector: ${differing.length} test(s) with different outcomes in two runs of the same suite${aside}:\n`);
  for (const k of differing) {
    const x = first.get(k);
    const y = second.get(k);
    const why = [x, y].find((o) => o && o.status === 'failed')?.message ?? '';
    process.stdout.write(`  ${k}: ${x.status} then ${y.status}${why ? ` — ${why}` : ''}\n`);
  }
}
