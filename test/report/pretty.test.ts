import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/runner/result.js';
import { prettyReporter } from '../../src/report/pretty.js';
import { FULL_TOKEN, sampleReport } from './sample.js';
import { howToRun } from '../../src/report/summary.js';

function sink(isTTY: boolean) {
  const s = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number };
  s.isTTY = isTTY;
  s.columns = 40;
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { stream: s, text: () => chunks.join('') };
}

const ANSI = /\x1b\[/;

async function render(isTTY: boolean, color: boolean) {
  const out = sink(isTTY);
  const r = prettyReporter({ stream: out.stream, color });
  const report = sampleReport();
  r.onStart!({ type: 'start', total: report.results.length, profile: report.profile, target: report.target.url });
  report.results.forEach((result: CheckResult, i) => r.onResult!({ type: 'result', result, done: i + 1, total: report.results.length }));
  const files = await r.onEnd!(report, { outDir: 'out', stream: out.stream, secrets: [], written: ['out/report.json'] });
  return { files, text: out.text() };
}

describe('pretty reporter', () => {
  it('prints plain text when not a TTY: areas, failure details, skips with hints, held-back flag, cleanup, verdict, files', async () => {
    const { files, text } = await render(false, false);
    expect(files).toEqual([]);
    expect(text).not.toMatch(ANSI);
    // A pipe gets no progress: each check appears once, in the grouped report.
    expect(text).not.toMatch(/^\[\d+\/6\]/m);
    for (const r of sampleReport().results) expect(text.split(` ${r.id} `).length - 1, r.id).toBe(1);
    expect(text).not.toContain('\x1b[2K');
    expect(text).toMatch(/\nAUTHN\n {2}FAIL {3}AUTHN-004 \[MUST\] A revoked key is refused/);
    expect(text).toContain('expected:  HTTP 401 agent.token_invalid');
    expect(text).toMatch(/actual: {4}HTTP 200 common\.success/);
    expect(text).toContain('reproduce: curl -H');
    // What did not run is told once, under one heading, with what would make it run.
    expect(text).toMatch(/\nNot run\n  2 checks held back by --safety draft; to run them, add --safety load: IDEM-003, ADM-001\n  1 check skipped: needs the admin plane; to run it, add --admin-header 'x-admin-user: admin_demo': ABAC-001\n/);
    expect(text.split('needs the admin plane')).toHaveLength(2);
    expect(text).toContain('Cleanup failed for app_2');
    const lines = text.trimEnd().split('\n');
    expect(lines.at(-2)).toBe('6 checks: 1 passed, 1 failed, 1 warned, 1 skipped, 1 blocked, 1 errored, 2 held back · 2.5 s · seed 42 · NOT CONFORMANT');
    expect(lines.at(-1)).toBe('Reports: out/report.json');
  });

  it('scrubs op_ tokens and terminal control characters from the console', async () => {
    const { text } = await render(false, false);
    expect(text).not.toContain(FULL_TOKEN);
    expect(text).not.toMatch(/[\u0000-\u0008\u000B-\u001F]/);
    expect(text).toContain("]]> ? ?[2J");
  });

  it('shows a bounded progress line on a TTY and clears it before the summary; colour only when asked', async () => {
    const { text } = await render(true, true);
    expect(text).toContain('\r\x1b[2K[2/6] AUTHN-004 A revoked key is refus…');
    expect(text).toMatch(ANSI);
    // The last progress line is erased before the first line of the summary.
    expect(text).toMatch(/\[6\/6\][^\n]*\r\x1b\[2K\n/);
  });

  it('says what would make skipped checks run in one grammar: a flag is added, a check is seen, an instruction followed', () => {
    expect(howToRun('--safety load', 2)).toBe('to run them, add --safety load');
    expect(howToRun('--target <file> with reads[]', 1)).toBe('to run it, add --target <file> with reads[]');
    expect(howToRun('see WITNESS-003', 1)).toBe('see WITNESS-003');
    expect(howToRun("declare the server's limit", 3)).toBe("to run them, declare the server's limit");
    // Every hint a check gives is typed RunHint (src/kit/check.ts), so tsc refuses one outside the grammar.
  });
});
