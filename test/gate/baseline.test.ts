import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/runner/result.js';
import { run } from '../support/suite.js';
import { applyBaseline, fingerprintOf, loadBaseline, renderBaseline, updateBaseline, type Baseline } from '../../src/gate/baseline.js';
import { routeOf } from '../../src/kit/check.js';
import { runGate } from '../support/suite.js';
import { renderGateJunit, renderGateSarif } from '../../src/gate/render.js';
import { profileStep } from '../../src/gate/gate.js';
import { renderMarkdown } from '../../src/report/markdown.js';

const FAULT = 'authn-revocation-cache'; // breaks AUTHN-004
const runOpts = { faults: [FAULT], only: ['AUTHN-004', 'AUTHN-003'], seed: 1 };
const noDeployment = { files: [], live: false };
let faulted: RunReport;
let dir: string;

beforeAll(async () => {
  faulted = await run(runOpts);
  dir = mkdtempSync(join(tmpdir(), 'opc-baseline-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const gate = (b: Baseline, now?: Date) => runGate({ run: runOpts, baseline: { file: 'openport-baseline.yaml', data: b }, deployment: noDeployment, now });
const entry = (over: Partial<Baseline['entries'][number]> = {}) => ({ id: 'AUTHN-004', expect: 'fail' as const, reason: 'revocation cache fix ships in 2.1', link: 'https://example.com/issue/7', ...over });

describe('baseline', () => {
  it('the faulted runtime fails the gate when nothing is baselined', async () => {
    expect(faulted.results.find((r) => r.id === 'AUTHN-004')!.status).toBe('fail');
    const g = await runGate({ run: runOpts, deployment: noDeployment });
    expect(g.verdict).toBe('failed');
    expect(g.steps.find((s) => s.name === 'profile')!.status).toBe('fail');
  });

  it('suppresses the known failure (fingerprinted), with suppressions[] in SARIF and the same counts in every format', async () => {
    const b: Baseline = { entries: [entry({ fingerprint: fingerprintOf(faulted.results.find((r) => r.id === 'AUTHN-004')!) })] };
    const g = await gate(b);
    // --only: the gate, like `run --only`, proves the subset and says so.
    expect(g.verdict).toBe('selection-passed');
    expect(g.exitCode).toBe(0);
    expect(g.baseline).toMatchObject({ suppressed: 1, stale: [], expired: [], unmatched: [], unlisted: [] });
    const p = g.profile!;
    expect(p.summary).toMatchObject({ fail: 1, pass: 1, total: 2 });
    // report.json of a gate (baselined results carry `suppression`) is still a valid report.
    const schema = JSON.parse(readFileSync(new URL('../../fixtures/schemas/report.schema.json', import.meta.url), 'utf8'));
    const validate = new Ajv({ strict: false }).compile(schema);
    expect(validate(JSON.parse(JSON.stringify(p))), JSON.stringify(validate.errors)).toBe(true);
    expect(p.results.find((r) => r.id === 'AUTHN-004')!.suppression).toMatchObject({ justification: 'revocation cache fix ships in 2.1' });
    const sarif = JSON.parse(renderGateSarif(g));
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ ruleId: 'AUTHN-004', suppressions: [{ kind: 'external', status: 'accepted', justification: 'revocation cache fix ships in 2.1 (https://example.com/issue/7)' }] });
    // JUnit (GitLab's only view of a merge request) shows the accepted failure as skipped, with the reason.
    const junit = renderGateJunit(g);
    expect(junit).toMatch(/<testsuites [^>]*tests="\d+" failures="0" errors="0" skipped="1"/);
    expect(junit).toMatch(/name="AUTHN-004 [^"]*"[^>]*>[\s\S]*?<skipped message="fail accepted by the baseline: revocation cache fix ships in 2\.1 \(https:\/\/example\.com\/issue\/7\)"\/>/);
    expect(junit).not.toMatch(/<failure/);
    // report.json: the profile verdict counts the failure; the gate's reading accepts it.
    expect([p.verdict, p.exitCode]).toEqual(['not-conformant', 1]);
    expect(p.gate).toMatchObject({ verdict: 'selection-passed', exitCode: 0, text: expect.stringMatching(/^GATE: SELECTION PASSED .*1 failure accepted by the baseline/) });
    expect(renderMarkdown(p)).toMatch(/\| 2 \| 1 \| 1 \|/);
  });

  it("the profile step of a passing gate says when failures passed only because the baseline accepts them", () => {
    const report = (suppressed: boolean) => ({
      profile: 'core', safety: 'load',
      summary: { total: 2, pass: 1, fail: 1, warn: 0, skip: 0, blocked: 0, error: 0, heldBack: 0 },
      results: [{ id: 'AUTHN-003', status: 'pass' }, { id: 'AUTHN-004', status: 'fail', ...(suppressed ? { suppression: { justification: 'x' } } : {}) }],
    }) as unknown as RunReport;
    const passed = { verdict: 'conformant', exitCode: 0, selection: false, text: 'GATE PASSED' } as const;
    expect(profileStep(report(true), passed).summary).toBe('core at safety load: 1 pass, 1 fail (1 baselined); every MUST at or below load passed or is accepted by the baseline');
    expect(profileStep(report(false), passed).summary).toBe('core at safety load: 1 pass, 1 fail; every MUST at or below load passed');
  });

  it('a different failure of the same check is not hidden by the fingerprint', async () => {
    const g = await gate({ entries: [entry({ fingerprint: '0123456789abcdef' })] });
    expect(g.verdict).toBe('failed');
    expect(g.baseline!.unlisted).toEqual(['AUTHN-004']);
    expect(g.baseline!.unmatched.map((e) => e.id)).toEqual(['AUTHN-004']);
  });

  it('a stale entry (its check now passes) fails the gate', async () => {
    const g = await gate({ entries: [entry(), entry({ id: 'AUTHN-003', reason: 'was flaky' })] });
    expect(g.verdict).toBe('failed');
    expect(g.steps.find((s) => s.name === 'profile')!.status).toBe('pass');
    expect(g.steps.find((s) => s.name === 'baseline')).toMatchObject({ status: 'fail', counts: { stale: 1, suppressed: 1 } });
    expect(g.baseline!.stale.map((e) => e.id)).toEqual(['AUTHN-003']);
  });

  it('an expired entry stops suppressing and is reported', async () => {
    const b = { entries: [entry({ expires: '2026-01-31' })] };
    expect((await gate(b, new Date('2026-01-30T12:00:00Z'))).verdict).toBe('selection-passed');
    const g = await gate(b, new Date('2026-02-01T00:00:00Z'));
    expect(g.verdict).toBe('failed');
    expect(g.baseline!.expired.map((e) => e.id)).toEqual(['AUTHN-004']);
    expect(g.baseline!.suppressed).toBe(0);
  });

  it('a glob entry suppresses, and is stale only when none of its checks fails', () => {
    const glob = { entries: [{ id: 'AUTHN-*', expect: 'fail' as const, reason: 'known' }] };
    const a = applyBaseline(faulted.results, glob);
    expect([a.suppressed, a.stale.length]).toEqual([1, 0]);
    const clean = faulted.results.map((r) => ({ ...r, status: 'pass' as const }));
    expect(applyBaseline(clean, glob).stale).toHaveLength(1);
    expect(applyBaseline(clean.filter((r) => r.id === 'XX'), glob).unmatched).toHaveLength(1);
  });

  it('fingerprints hash the route without query and minted ids, the status and the reason code the target answered', () => {
    const base = faulted.results.find((r) => r.id === 'AUTHN-004')!;
    const at = (path: string) => ({ ...base, finding: { ...base.finding!, route: routeOf({ method: 'GET', path }) } });
    const a = at('/api/agent-admin/v1/drafts/drf_3f045091d8115345?x=1');
    expect(a.finding.route).toBe('GET /api/agent-admin/v1/drafts/:id');
    expect(fingerprintOf(a)).toBe(fingerprintOf(at('/api/agent-admin/v1/drafts/drf_aaaaaaaaaaaaaaaa')));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf(at('/api/agent-admin/v1/apps/app_aaaaaaaaaaaaaaaa')));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf({ ...a, status: 'warn' }));
    expect(fingerprintOf(a)).not.toBe(fingerprintOf({ ...a, finding: { ...a.finding, actual: { ...a.finding.actual, code: 'agent.token_expired' } } }));
  });

  it('baseline update writes entries for every failure and keeps reasons and links; the file round-trips', () => {
    const first = updateBaseline(faulted.results, undefined).baseline;
    expect(first.entries).toMatchObject([{ id: 'AUTHN-004', expect: 'fail', fingerprint: fingerprintOf(faulted.results.find((r) => r.id === 'AUTHN-004')!) }]);
    const kept = updateBaseline(faulted.results, { entries: [entry({ expires: '2030-01-01' }), entry({ id: 'AUTHN-003' })] }).baseline;
    expect(kept.entries).toHaveLength(1); // AUTHN-003 passes: dropped
    expect(kept.entries[0]).toMatchObject({ reason: 'revocation cache fix ships in 2.1', link: 'https://example.com/issue/7', expires: '2030-01-01' });
    const file = join(dir, 'b.yaml');
    writeFileSync(file, renderBaseline(kept));
    expect(loadBaseline(file)).toEqual(kept);
  });

  it('refuses a malformed baseline naming the file, the path and the fix (exit 2)', () => {
    const bad = (text: string) => {
      const file = join(dir, `bad-${Math.abs(text.length)}.yaml`);
      writeFileSync(file, text);
      try {
        loadBaseline(file);
      } catch (e) {
        return { code: (e as { exitCode?: number }).exitCode, message: (e as Error).message };
      }
      throw new Error('accepted');
    };
    expect(bad('entries:\n  - { id: AUTHN-004, expect: fail, reason: x, note: y }\n')).toMatchObject({ code: 2, message: expect.stringMatching(/bad-\d+\.yaml.*\/entries\/0\/note: unknown key "note"; allowed keys.*fingerprint/) });
    expect(bad('entries:\n  - { id: AUTHN-004, expect: fail }\n')).toMatchObject({ code: 2, message: expect.stringContaining("must have required property 'reason'") });
    expect(bad('entries:\n  - { id: AUTHX-004, expect: fail, reason: x }\n')).toMatchObject({ code: 2, message: expect.stringMatching(/\/entries\/0\/id "AUTHX-004" matches no requirement id; nearest: AUTHN-004/) });
    expect(bad('entries:\n  - { id: AUTHN-004, expect: broken, reason: x }\n')).toMatchObject({ code: 2, message: expect.stringContaining('/entries/0/expect') });
  });
});
