// The hostile-target matrix (test/cli/hostile-matrix.ts) on the server answering 4 MiB to every request, the
// longest run of the matrix, and the reference runtime behind a delay.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startHostile, startSlowValid } from '../../scripts/hostile-servers.mjs';
import { peakRss } from '../support/peak-rss.js';
import { ADMIN_SECRET, ANSWER_TIMEOUT_MS, ENDS_WITHIN_MS, hostileRuns, OWN_FILE, type Outcome, report, runCli, scratch, TOKEN } from './hostile-matrix.js';

const work = scratch();

describe('hostile-target matrix', () => {
  const outcomes = hostileRuns(OWN_FILE, work);

  it('4 MiB answers to every request: the journal is cut and says so, the checks that needed the dropped exchanges do not pass', () => {
    const r = report(outcomes.get('envelope-4mib')!);
    expect(r.evidence?.journal.truncated).toBe(true);
    const lines = readFileSync(join(outcomes.get('envelope-4mib')!.out, 'exchanges.jsonl'), 'utf8').trimEnd().split('\n');
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'end', truncated: true });
    for (const id of ['ENV-004', 'ENV-005']) expect(r.results.find((x) => x.id === id)?.status, id).not.toBe('pass');
  });

  it('4 MiB answers to every request: a full run in a process of its own peaks under 400 MB (README, robustness goals)', async () => {
    const server = await startHostile('envelope-4mib');
    try {
      // As `npm run soak` runs it (scripts/soak.mjs), with every file reporter.
      const o = await peakRss(['run', server.url, '--token', TOKEN, '--admin-header', `authorization: Bearer ${ADMIN_SECRET}`, '--safety', 'load', '--profile', 'state-witness',
        '--timeout', String(ANSWER_TIMEOUT_MS), '--out', join(work(), 'rss'), '--reporter', 'pretty,json,junit,sarif,markdown']);
      expect(o.code, o.stderr).toBe(1);
      expect(o.maxRssKiB, o.stderr).toBeLessThanOrEqual(400 * 1024);
    } finally {
      await server.close();
    }
  }, ENDS_WITHIN_MS);

  it('slow but valid: the reference runtime behind a delay passes the ENV checks (exit 0)', async () => {
    const server = await startSlowValid(20);
    const out = join(work(), 'slow-valid');
    let o: Outcome;
    try {
      const admin = Object.entries(server.adminHeaders).map(([k, v]) => ['--admin-header', `${k}: ${v}`]).flat();
      // Draft safety: ENV-009 provisions an app and a draft to judge the admin routes.
      o = await runCli([server.url, '--token', server.token, ...admin, '--only', 'ENV-*', '--safety', 'draft', '--timeout', '5000'], out);
    } finally {
      await server.close();
    }
    expect(o.code, o.stdout).toBe(0);
    const everything = [o.stdout, o.stderr, ...o.files.map((f) => readFileSync(join(out, f), 'utf8'))].join('\n');
    expect(everything.includes(server.token)).toBe(false);
  }, ENDS_WITHIN_MS);
});
