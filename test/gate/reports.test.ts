// The gate's JUnit, summary.md and report.json tell the gate's story: the gate verdict first, baselined
// results skipped with their reason, release-tree and deployment findings as test cases, and the profile
// verdict stated beside the gate's, never instead of it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { updateBaseline } from '../../src/gate/baseline.js';
import { renderGateJunit, renderGateMarkdown } from '../../src/gate/render.js';
import { mergeReports } from '../../src/gate/merge.js';
import { reportVerdict } from '../../src/runner/verdict.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJunit } from '../../src/report/junit.js';
import { run, runGate } from '../support/suite.js';
import { plantTree } from './plant.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
const noDeployment = { files: [], live: false };

/** `<testcase … name="…">…</testcase>` elements whose name starts with `prefix`. */
const cases = (xml: string, prefix: string) => [...xml.matchAll(/<testcase [^>]*name="([^"]*)"[^>]*?(\/>|>[\s\S]*?<\/testcase>)/g)].filter((m) => m[1]!.startsWith(prefix)).map((m) => m[0]);

describe('gate reports', () => {
  it('a passing read-only gate: no INCOMPLETE error in JUnit, summary.md leads with GATE PASSED', async () => {
    const g = await runGate({ run: { safety: 'read-only', profile: 'core' }, deployment: noDeployment });
    expect([g.verdict, g.exitCode]).toEqual(['passed', 0]);
    expect(g.profile!.heldBack.ids.length).toBeGreaterThan(0);
    const junit = renderGateJunit(g);
    expect(junit).not.toMatch(/INCOMPLETE|-VERDICT/);
    expect(junit).toMatch(/<testsuites [^>]* failures="0" errors="0"/);
    const md = renderGateMarkdown(g);
    expect(md).toMatch(/^## ✅ OpenPort release gate: GATE PASSED\n/);
    // The profile verdict as `run` gives it is stated, below the gate's: the held-back MUSTs did not run.
    expect(md).toMatch(/Profile verdict as `run` gives it [^\n]*\*\*INCOMPLETE \(could not evaluate\)\*\*/);
    expect(g.profile!.gate).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect([g.profile!.verdict, g.profile!.exitCode]).toEqual(['incomplete', 3]);
  }, 60_000);

  it('tree and deployment findings are JUnit failures, baselined tree findings skipped with their reason; summary.md leads with GATE FAILED', async () => {
    const tree = plantTree(true);
    dirs.push(tree);
    const dir = mkdtempSync(join(tmpdir(), 'opc-reports-'));
    dirs.push(dir);
    const deployment = join(dir, 'deployment.yaml');
    // A write tool that does not ask for confirmation: GATE-001 fails.
    writeFileSync(deployment, stringify({ apps: [{ id: 'app_x', status: 'active', scopes: ['t.write'], policy: { data: { allowed_ledger_ids: ['l'] } }, tools: [{ name: 't.create', kind: 'action', requiredScopes: ['t.write'], risk: 'medium', requiresConfirmation: false }] }] }));
    const first = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [tree] }, deployment: noDeployment });
    const accepted = first.tree!.findings[0]!;
    const baseline = { file: 'known.yaml', data: { entries: [], tree: [{ file: accepted.file, rule: accepted.ruleId, fingerprint: accepted.fingerprint, reason: 'a revoked key kept for the parser tests' }] } };
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [tree] }, baseline, deployment: { files: [deployment], live: false } });
    expect([g.verdict, g.exitCode]).toEqual(['failed', 1]);
    const junit = renderGateJunit(g);
    const open = g.tree!.findings.filter((f) => !f.suppression);
    expect(open.length).toBe(first.tree!.findings.length - 1);
    expect(open.length).toBeGreaterThan(3);
    const treeCases = cases(junit, 'GATE-0').filter((c) => c.includes('classname="release-tree"'));
    expect(treeCases).toHaveLength(first.tree!.findings.length);
    expect(treeCases.filter((c) => c.includes('<failure'))).toHaveLength(open.length);
    expect(treeCases.filter((c) => c.includes('<skipped message="accepted by the baseline: a revoked key kept for the parser tests"/>'))).toHaveLength(1);
    // A baseline of tree entries alone does not read as an empty one.
    expect(g.steps.find((s) => s.name === 'baseline')?.summary).toMatch(/^known\.yaml: 0 entries \(and 1 release-tree entry, applied by the tree scan\), 0 suppressed/);
    const deploymentFailures = cases(junit, 'GATE-001').filter((c) => c.includes('classname="deployment"'));
    expect(deploymentFailures).toHaveLength(1);
    expect(deploymentFailures[0]).toMatch(/<failure /);
    const failures = Number(/<testsuites [^>]* failures="(\d+)"/.exec(junit)![1]);
    expect(failures).toBe(open.length + g.deployment!.findings.filter((f) => f.status === 'fail').length);
    // No secret value in the JUnit: findings are named by prefix and fingerprint.
    for (const f of g.tree!.findings) expect(junit).toContain(f.fingerprint);
    expect(renderGateMarkdown(g)).toMatch(/^## ❌ OpenPort release gate: GATE FAILED\n/);
    // report.json's gate verdict is the whole gate's: the scans failed it though every check passed.
    expect(g.profile!.gate).toMatchObject({ verdict: 'failed', exitCode: 1, steps: [{ name: 'release-tree', status: 'fail' }, { name: 'deployment', status: 'fail' }, { name: 'baseline', status: 'pass' }] });
    expect([g.profile!.verdict, g.profile!.exitCode]).toEqual(['selection-passed', 0]);
    expect(reportVerdict(g.profile!).text).toBe('GATE FAILED');
  }, 60_000);

  it("merged gate shards whose scan failed: summary.md and JUnit show the failed step, not only the exit code; gate.md shows the steps once", async () => {
    const tree = plantTree(true);
    dirs.push(tree);
    const shards = [];
    for (const index of [1, 2]) shards.push((await runGate({ run: { only: ['ENV-00*'], seed: 3, shard: { index, count: 2 } }, scan: { roots: [tree] }, deployment: noDeployment })).profile!);
    const merged = mergeReports(shards);
    expect(merged.gate).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const md = renderMarkdown(merged);
    expect(md).toContain('### Gate steps');
    expect(md).toContain('| release-tree | fail — its findings are in the gate.md and report.sarif of the run that scanned |');
    const junit = renderJunit(merged);
    expect(cases(junit, 'release-tree')).toHaveLength(1);
    expect(cases(junit, 'release-tree')[0]).toContain('<failure');
    expect(junit).not.toMatch(/<testsuites [^>]* failures="0"/);
    // The gate's own page has its step sections and no second copy of the outcomes.
    const single = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [tree] }, deployment: noDeployment });
    expect(renderGateMarkdown(single)).not.toContain('### Gate steps');
  }, 120_000);

  it('report.json of a gate with a baselined failure: the gate passed, the profile is not conformant, both said; merge keeps both', async () => {
    const gateRun = { profile: 'core', faults: ['authn-revocation-cache'], seed: 5, safety: 'draft' as const, fuzz: { runs: 20 } };
    const baseline = { file: 'known.yaml', data: updateBaseline((await run(gateRun)).results, undefined).baseline };
    baseline.data.entries.forEach((e) => (e.reason = 'tracked upstream'));
    const whole = await runGate({ run: gateRun, baseline, deployment: noDeployment });
    const p = whole.profile!;
    expect(p.gate).toMatchObject({ baseline: 'known.yaml', verdict: 'passed', exitCode: 0, text: expect.stringMatching(/^GATE PASSED \(1 failure accepted by the baseline, \d+ checks above safety draft not judged\)$/) });
    expect([p.verdict, p.exitCode]).toEqual(['not-conformant', 1]);
    const shards = [];
    for (const index of [1, 2, 3, 4]) shards.push((await runGate({ run: { ...gateRun, shard: { index, count: 4 } }, baseline, deployment: noDeployment })).profile!);
    const merged = mergeReports(shards);
    expect(merged.gate).toEqual(p.gate);
    expect([merged.verdict, merged.exitCode]).toEqual([p.verdict, p.exitCode]);
  }, 120_000);
});
