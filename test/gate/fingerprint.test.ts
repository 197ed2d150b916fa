// Fingerprints read a finding's fields: rewording its prose changes nothing, and a baseline written by the
// earlier prose-based computation still matches its failure until `baseline update` migrates it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/runner/result.js';
import { fingerprintOf } from '../../src/runner/fingerprint.js';
import { applyBaseline, updateBaseline, type Baseline } from '../../src/gate/baseline.js';
import { legacyFingerprint } from '../../src/gate/legacy-fingerprint.js';
import { run, runGate } from '../support/suite.js';

// disc-show-all-tools fails DISC-001; at seed 1 the previous release's `baseline update` wrote this
// fingerprint for it (from the prose: no reason code in its actual or message, the route from the reproduce
// line). test/gate/cli.test.ts migrates the same entry through the CLI.
const FAULT = 'disc-show-all-tools';
const PRE_FIELDS_FINGERPRINT = 'a3491526cbb7347f';
const runOpts = { faults: [FAULT], only: ['DISC-001'], seed: 1 };
const noDeployment = { files: [], live: false };
const entry = (fingerprint: string) => ({ id: 'DISC-001', expect: 'fail' as const, fingerprint, reason: 'manifest filter fix ships in 2.1' });

let failure: CheckResult;
beforeAll(async () => {
  failure = (await run(runOpts)).results.find((r) => r.id === 'DISC-001')!;
});

describe('fingerprints read fields', () => {
  it('rewording the message, the expected and actual texts or the reproduce line leaves the fingerprint as it was', () => {
    expect(failure.status).toBe('fail');
    expect(failure.finding).toMatchObject({ route: 'GET /api/agent/v1/manifest', actual: { status: 200, code: 'common.success' } });
    const f = failure.finding!;
    const reworded: CheckResult = {
      ...failure,
      message: 'manifests list tools outside the scopes (agent.scope_denied expected)',
      expected: 'a different sentence',
      actual: 'HTTP 403 agent.policy_denied, quoted in prose',
      reproduce: "curl -sS -X POST 'http://127.0.0.1:1/api/agent/v1/actions'",
      finding: { ...f, expected: { ...f.expected, text: 'reworded' }, actual: { ...f.actual, text: 'reworded too' } },
    };
    expect(fingerprintOf(reworded)).toBe(fingerprintOf(failure));
    // The prose-based computation is what a rewording broke.
    expect(legacyFingerprint(reworded)).not.toBe(legacyFingerprint(failure));
  });

  it('a fingerprint the previous computation wrote still accepts the same failure, and says it should be migrated', async () => {
    expect(legacyFingerprint(failure)).toBe(PRE_FIELDS_FINGERPRINT);
    expect(fingerprintOf(failure)).not.toBe(PRE_FIELDS_FINGERPRINT);
    const old: Baseline = { entries: [entry(PRE_FIELDS_FINGERPRINT)] };
    const applied = applyBaseline([failure], old);
    expect(applied).toMatchObject({ suppressed: 1, unlisted: [], legacy: [old.entries[0]] });
    // The suppression records the current fingerprint, which SARIF carries.
    expect(applied.results[0]!.suppression!.fingerprint).toBe(fingerprintOf(failure));
    const g = await runGate({ run: runOpts, baseline: { file: 'old.yaml', data: old }, deployment: noDeployment });
    expect(g).toMatchObject({ verdict: 'selection-passed', exitCode: 0 });
    expect(g.steps.find((s) => s.name === 'baseline')!.summary).toMatch(/1 suppressed.*1 matched by an old-style fingerprint \(run `openport-conform baseline update` to migrate\)/);
  }, 60_000);

  it('baseline update rewrites old-style fingerprints and counts them; the rewritten baseline matches without the migration path', () => {
    const { baseline, migrated } = updateBaseline([failure], { entries: [entry(PRE_FIELDS_FINGERPRINT)] });
    expect(migrated).toBe(1);
    expect(baseline.entries).toEqual([{ ...entry(fingerprintOf(failure)) }]);
    expect(applyBaseline([failure], baseline)).toMatchObject({ suppressed: 1, legacy: [] });
    expect(updateBaseline([failure], baseline).migrated).toBe(0);
    // A glob entry carrying an old fingerprint is kept as a glob, its fingerprint rewritten.
    const glob = updateBaseline([failure], { entries: [{ ...entry(PRE_FIELDS_FINGERPRINT), id: 'DISC-*' }] });
    expect(glob).toEqual({ baseline: { entries: [{ ...entry(fingerprintOf(failure)), id: 'DISC-*' }] }, migrated: 1, untouched: [] });
    // A failure from an earlier version's report.json (no finding data) keeps the old fingerprint: not migrated.
    const { finding: _none, ...earlier } = failure;
    expect(updateBaseline([earlier], undefined)).toMatchObject({ baseline: { entries: [{ fingerprint: PRE_FIELDS_FINGERPRINT }] }, migrated: 0 });
    // A fingerprint of neither computation matches nothing (a different failure stays visible).
    expect(applyBaseline([failure], { entries: [entry('0123456789abcdef')] })).toMatchObject({ suppressed: 0, legacy: [] });
  });
});
