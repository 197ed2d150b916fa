// The state-witness profile, seed 7, run as a user runs it (in-process, main(argv, io)) against the embedded
// runtime and against `serve` over loopback, on both domains: every requirement's status must equal the
// committed pinned-statuses.json. A change of any status, for better or worse, is a decision to make in that
// file, never a side effect. The servers keep their own rate limit (240 a minute, as the shipped target
// files declare): its window is long enough that no status depends on how fast the machine is.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, describe, expect, it } from 'vitest';
import { verdictLine } from '../../src/report/index.js';
import type { RunReport } from '../../src/runner/result.js';
import { cli, startServe } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');
const pinned = JSON.parse(readFileSync(join(import.meta.dirname, 'pinned-statuses.json'), 'utf8')) as { profile: string; seed: number; statuses: Record<string, Record<string, string>> };
const validateReport = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'report.schema.json'), 'utf8')));
const work = mkdtempSync(join(tmpdir(), 'opc-pinned-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const common = ['--profile', pinned.profile, '--seed', String(pinned.seed)];

function reportIn(dir: string): RunReport {
  const report = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')) as RunReport;
  expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
  return report;
}

/** Each requirement's status, with the message of any that is not a pass (a readable diff when one changes). */
function statusesOf(report: RunReport): Record<string, string> {
  return Object.fromEntries(report.results.map((r) => [r.id, r.status === 'pass' ? r.status : `${r.status}: ${r.message ?? ''}`]));
}

describe('pinned per-requirement statuses', () => {
  it('pins every requirement of the profile, for each run', () => {
    const ids = Object.keys(pinned.statuses['embedded demo']!);
    expect(Object.keys(pinned.statuses)).toEqual(['embedded demo', 'embedded helpdesk', 'serve demo', 'serve helpdesk']);
    for (const statuses of Object.values(pinned.statuses)) expect(Object.keys(statuses)).toEqual(ids);
  });

  it('embedded, demo domain: every report written, a clean console, the pinned statuses', async () => {
    const out = join(work, 'embedded-demo');
    const r = await cli(['run', ...common, '--reporter', 'pretty,json,junit,sarif,markdown', '--out', out]);
    expect(r.stderr).toBe('');
    expect(readdirSync(out).sort()).toEqual(['exchanges.jsonl', 'junit.xml', 'report.json', 'report.sarif', 'summary.md']);
    const report = reportIn(out);
    expect(statusesOf(report)).toEqual(pinned.statuses['embedded demo']);
    expect(report).toMatchObject({ seed: pinned.seed, target: { embedded: true } });
    expect(r.code).toBe(report.exitCode);
    expect(r.stdout).toContain(`\n${verdictLine(report)}\nReports: `);
    // Not a terminal: no colour, no progress line.
    expect(r.stdout).not.toMatch(/\x1b\[/);
  }, 120_000);

  it('embedded, helpdesk domain', async () => {
    const out = join(work, 'embedded-helpdesk');
    const r = await cli(['run', ...common, '--domain', 'helpdesk', '--reporter', 'json', '--out', out]);
    const report = reportIn(out);
    expect(statusesOf(report)).toEqual(pinned.statuses['embedded helpdesk']);
    expect(report.target).toMatchObject({ embedded: true, domain: 'helpdesk' });
    expect(r.code).toBe(report.exitCode);
  }, 120_000);

  it.each([['demo'], ['helpdesk']] as const)('serve over loopback, %s domain, admin credentials only: the run mints its token and revokes every app', async (domain) => {
    const served = await startServe(['--domain', domain]);
    const out = join(work, `serve-${domain}`);
    try {
      const admin = Object.entries(served.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
      const r = await cli(['run', served.url, ...common, '--safety', 'load', ...admin, '--target', join(root, 'fixtures', 'targets', `${domain}.yaml`), '--reporter', 'json', '--out', out]);
      const report = reportIn(out);
      expect(statusesOf(report)).toEqual(pinned.statuses[`serve ${domain}`]);
      expect(report.target).toMatchObject({ url: served.url, embedded: false });
      expect(r.code).toBe(report.exitCode);
      expect(report.cleanup.failed).toEqual([]);
      expect(report.cleanup.revoked.length).toBeGreaterThan(1);
    } finally {
      await served.stop();
    }
  }, 180_000);
});
