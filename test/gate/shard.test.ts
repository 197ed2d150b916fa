import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/kit/paths.js';
import type { RunReport } from '../../src/runner/result.js';
import { run } from '../support/suite.js';
import { resolveSelection, shardOf } from '../../src/runner/selection.js';
import { mergeReports } from '../../src/gate/merge.js';
import { updateBaseline } from '../../src/gate/baseline.js';
import { reportVerdict } from '../../src/runner/verdict.js';
import { runGate } from '../support/suite.js';
import { REQUIREMENTS } from '../../src/protocol/requirements.js';
import { CHECKS } from '../../suites/index.js';
import { summarize } from '../../src/runner/runner.js';
import { inProgressReport } from '../../src/runner/unevaluated.js';
import { loadProfile } from '../../src/runner/profiles.js';

// A fault makes the merged verdict non-trivial: AUTHN-004 fails, everything else passes.
const base = { profile: 'core', faults: ['authn-revocation-cache'], seed: 7, fuzz: { runs: 20 } };
const PINNED = [3, 1, 2];
const comparable = (r: RunReport) => r.results.map((x) => `${x.id} ${x.status}`);

describe('--shard i/n and merge', () => {
  it('splits by a hash of the requirement id: every id in exactly one shard, stable when ids are added', () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    const shards = [1, 2, 3].map((i) => resolveSelection({ embedded: true, profile: 'state-witness', checks: CHECKS, shard: { index: i, count: 3 } }).requirements.map((r) => r.id));
    expect(shards.flat().sort()).toEqual(resolveSelection({ embedded: true, profile: 'state-witness', checks: CHECKS }).requirements.map((r) => r.id).sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(5);
    // The shard of an id depends on the id alone, not on what else is selected: narrowing the selection
    // (or adding requirements) moves no other id.
    const narrowed = resolveSelection({ embedded: true, profile: 'state-witness', checks: CHECKS, only: ['AUTHN-*', 'WITNESS-*'], shard: { index: 1, count: 3 } }).requirements.map((r) => r.id);
    expect(narrowed).toEqual(shards[0]!.filter((id) => /^(AUTHN|WITNESS)-/.test(id)));
    // Pinned: CI matrices in the wild depend on where an id lands (SHA-256 of the id, first 4 bytes, mod n).
    expect(['AUTHN-004', 'ENV-001', 'WITNESS-003'].map((id) => shardOf(id, 3))).toEqual(PINNED);
    expect(ids.every((id) => shardOf(id, 1) === 1)).toBe(true);
  });

  it('--shard 1/3..3/3 merged equals the unsharded run (results, summary, verdict)', async () => {
    const whole = await run(base);
    const pieces = [];
    for (const index of [1, 2, 3]) pieces.push(await run({ ...base, shard: { index, count: 3 } }));
    expect(pieces.map((p) => p.shard)).toEqual([1, 2, 3].map((index) => ({ index, count: 3 })));
    const merged = mergeReports([pieces[2]!, pieces[0]!, pieces[1]!]);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect(merged.summary).toEqual(whole.summary);
    expect([merged.verdict, merged.exitCode]).toEqual([whole.verdict, whole.exitCode]);
    expect(merged.verdict).toBe('not-conformant');
    expect(merged.shard).toBeUndefined();
    // A shard of the whole profile (no selection) answers for the profile's ids that hash to it.
    const third = loadProfile('core').requirements.map((r) => r.id).filter((id) => shardOf(id, 3) === 3);
    const blank = [pieces[0]!, pieces[1]!, { ...pieces[2]!, results: [] }];
    expect(() => mergeReports(blank, ['1.json', '2.json', '3.json'])).toThrow(`3.json: shard 3/3 of profile core has ${third.length} requirements, but the report holds no result for ${third.length}: ${third.join(', ')};`);
  }, 60_000);

  it('a matrix wider than the hash fills: its empty shards pass as empty pieces, and the merge is the whole run', async () => {
    const clean = { profile: 'core', seed: 7, fuzz: { runs: 20 }, only: ['ENV-*', 'AUTHN-*'] };
    const whole = await run(clean);
    const count = 24;
    const pieces = [];
    for (let index = 1; index <= count; index++) pieces.push(await run({ ...clean, shard: { index, count } }));
    const empty = pieces.filter((p) => p.results.length === 0);
    expect(empty.length).toBeGreaterThan(0);
    for (const p of empty) {
      expect([p.verdict, p.exitCode]).toEqual(['selection-passed', 0]);
      expect(reportVerdict(p).text).toContain('an empty shard: no check of the profile that applies here hashes to it; merge the shards for the verdict');
    }
    const merged = mergeReports(pieces);
    expect(comparable(merged)).toEqual(comparable(whole));
    expect([merged.verdict, merged.exitCode]).toEqual([whole.verdict, whole.exitCode]);
  }, 120_000);

  it('a sharded gate merged gives the unsharded gate\'s verdict: baselined failures accepted, checks above its safety outside it', async () => {
    // At draft safety the load and execute checks are held back; the fault fails AUTHN-004, which the baseline accepts.
    const gateRun = { ...base, safety: 'draft' as const, seed: 11 };
    const noDeployment = { files: [], live: false };
    const baseline = { file: 'known.yaml', data: updateBaseline((await run(gateRun)).results, undefined).baseline };
    expect(baseline.data.entries.map((e) => e.id)).toEqual(['AUTHN-004']);
    const whole = await runGate({ run: gateRun, baseline, deployment: noDeployment });
    expect([whole.verdict, whole.exitCode]).toEqual(['passed', 0]);
    expect(whole.profile!.heldBack.ids.length).toBeGreaterThan(0);
    const shards = [];
    for (const index of [1, 2, 3, 4]) shards.push(await runGate({ run: { ...gateRun, shard: { index, count: 4 } }, baseline, deployment: noDeployment }));
    // Each shard's gate passed a subset, worded as one.
    expect(shards.map((g) => [g.verdict, g.exitCode])).toEqual([1, 2, 3, 4].map(() => ['selection-passed', 0]));
    const merged = mergeReports(shards.map((g) => g.profile!));
    expect(comparable(merged)).toEqual(comparable(whole.profile!));
    expect([merged.verdict, merged.exitCode]).toEqual([whole.profile!.verdict, whole.profile!.exitCode]);
    expect(reportVerdict(merged).text).toBe(reportVerdict(whole.profile!).text);
    expect(reportVerdict(merged).text).toMatch(/^GATE PASSED \(1 failure accepted by the baseline, \d+ checks above safety draft not judged\)$/);
    // report.json states both readings: the gate's, and the profile verdict as `run` gives it (the baselined failure counted).
    expect(merged.gate).toMatchObject({ baseline: 'known.yaml', verdict: 'passed', exitCode: 0 });
    expect(merged.gate).toEqual(whole.profile!.gate);
    expect([merged.verdict, merged.exitCode]).toEqual(['not-conformant', 1]);
    // Without the baseline the same failure fails the gate, sharded or not.
    const bare = await runGate({ run: gateRun, deployment: noDeployment });
    const bareShards = [];
    for (const index of [1, 2, 3, 4]) bareShards.push((await runGate({ run: { ...gateRun, shard: { index, count: 4 } }, deployment: noDeployment })).profile!);
    expect([bare.exitCode, mergeReports(bareShards).exitCode]).toEqual([1, 1]);
    // Shards gated against different baselines (or one without) accept different failures: refused, naming both.
    const files = ['s1.json', 's2.json', 's3.json', 's4.json'];
    const mixed = [shards[0]!.profile!, ...bareShards.slice(1)];
    expect(() => mergeReports(mixed, files)).toThrow('s2.json: baseline null differs from s1.json ("known.yaml"); only shards of one run can be merged (give every shard the same --baseline)');
    const other = shards.map((g, i) => (i === 3 ? { ...g.profile!, gate: { ...g.profile!.gate!, baseline: 'other.yaml' } } : g.profile!));
    expect(() => mergeReports(other, files)).toThrow('s4.json: baseline "other.yaml" differs from s1.json ("known.yaml")');
  }, 120_000);

  it('a baseline recorded unsharded accepts a journal-wide check\'s failure in the shard that runs it: 4 shards merged = the unsharded gate', async () => {
    // ENV-003 judges every response of the run: a shard sees a fraction of the traffic, so its failure must
    // be fingerprinted by what does not depend on that (its own edge battery comes first).
    const gateRun = { profile: 'core', faults: ['env-status-mismatch'], seed: 3, safety: 'draft' as const, fuzz: { runs: 20 } };
    const noDeployment = { files: [], live: false };
    const recorded = updateBaseline((await run(gateRun)).results, undefined).baseline;
    recorded.entries.forEach((e) => (e.reason = 'status fix ships in 2.1'));
    expect(recorded.entries.map((e) => e.id)).toContain('ENV-003');
    const baseline = { file: 'known.yaml', data: recorded };
    const whole = await runGate({ run: gateRun, baseline, deployment: noDeployment });
    expect([whole.verdict, whole.exitCode]).toEqual(['passed', 0]);
    const shards = [];
    for (const index of [1, 2, 3, 4]) shards.push(await runGate({ run: { ...gateRun, shard: { index, count: 4 } }, baseline, deployment: noDeployment }));
    // No shard fails on a changed fingerprint, and the shard that ran ENV-003 accepted it.
    expect(shards.map((g) => g.exitCode)).toEqual([0, 0, 0, 0]);
    const env003 = shards.flatMap((g) => g.profile!.results).find((r) => r.id === 'ENV-003')!;
    expect(env003).toMatchObject({ status: 'fail', suppression: { justification: 'status fix ships in 2.1' } });
    const merged = mergeReports(shards.map((g) => g.profile!));
    expect(comparable(merged)).toEqual(comparable(whole.profile!));
    expect(merged.gate).toEqual(whole.profile!.gate);
    expect(merged.gate).toMatchObject({ verdict: 'passed', exitCode: 0 });
  }, 120_000);

  it('in a sharded gate, baseline entries of other shards are not in this shard: neither matched nothing nor stale', async () => {
    const gateRun = { profile: 'core', faults: ['env-status-mismatch'], seed: 3, safety: 'draft' as const, fuzz: { runs: 20 } };
    const noDeployment = { files: [], live: false };
    const recorded = updateBaseline((await run(gateRun)).results, undefined).baseline;
    recorded.entries.forEach((e) => (e.reason = 'status fix ships in 2.1'));
    const exact = recorded.entries.map((e) => e.id);
    // A glob over checks of every shard, whose one failure an exact entry accepts first: it matches nothing unsharded,
    // and a shard whose ENV checks all pass must not call it stale.
    recorded.entries.push({ id: 'ENV-*', expect: 'fail', reason: 'env fixes ship in 2.1' });
    const baseline = { file: 'known.yaml', data: recorded };
    const whole = await runGate({ run: gateRun, baseline, deployment: noDeployment });
    expect(whole.exitCode).toBe(0);
    expect(whole.steps.find((s) => s.name === 'baseline')!.summary).toBe(`known.yaml: ${exact.length + 1} entries, ${exact.length} suppressed, 0 stale, 0 expired, 1 matched nothing`);
    const shards = [];
    for (const index of [1, 2, 3]) {
      const g = await runGate({ run: { ...gateRun, shard: { index, count: 3 } }, baseline, deployment: noDeployment });
      const here = exact.filter((id) => shardOf(id, 3) === index).length;
      const step = g.steps.find((s) => s.name === 'baseline')!;
      expect(step, `shard ${index}`).toMatchObject({ status: 'pass', counts: { suppressed: here, stale: 0, unmatched: 0, otherShards: exact.length - here + 1 } });
      expect(step.summary).toBe(`known.yaml: ${exact.length + 1} entries, ${here} suppressed, 0 stale, 0 expired, 0 matched nothing, ${exact.length - here + 1} not in this shard`);
      expect(g.exitCode, `shard ${index}`).toBe(0);
      shards.push(g.profile!);
    }
    expect(mergeReports(shards).gate).toMatchObject({ verdict: 'passed', exitCode: 0 });
  }, 120_000);

  it('refuses reports of different runs, missing or repeated shards', async () => {
    const a = await run({ ...base, only: ['ENV-00*'], shard: { index: 1, count: 2 } });
    const b = await run({ ...base, only: ['ENV-00*'], shard: { index: 2, count: 2 } });
    expect(() => mergeReports([a, { ...b, seed: 8 }], ['a.json', 'b.json'])).toThrow(/b\.json: seed 8 differs from a\.json \(7\); only shards of one run can be merged \(give every shard the same --seed\)$/);
    expect(() => mergeReports([a, { ...b, profile: 'state-witness' }], ['a.json', 'b.json'])).toThrow(/profile/);
    expect(() => mergeReports([a, { ...b, tool: { ...b.tool, version: '9.9.9' } }], ['a.json', 'b.json'])).toThrow(/tool version/);
    // Another domain, another target description: another run, though the url reads the same.
    expect(() => mergeReports([a, { ...b, target: { ...b.target, domain: 'helpdesk' } }], ['a.json', 'b.json'])).toThrow(/b\.json: domain "helpdesk" differs from a\.json \("demo"\)/);
    const described = { ...b, target: { ...b.target, description: `sha256:${'1'.repeat(64)}` } };
    expect(() => mergeReports([a, described], ['a.json', 'b.json'])).toThrow(/b\.json: target description \(--target\) "sha256:1{64}" differs from a\.json \("none"\)/);
    // The digest a run records of its --target file.
    const file = join(PACKAGE_ROOT, 'fixtures', 'targets', 'demo.yaml');
    const withFile = await run({ ...base, only: ['ENV-001'], targetFile: file });
    expect(withFile.target.description).toBe(`sha256:${createHash('sha256').update(readFileSync(file)).digest('hex')}`);
    expect(a.target.description).toBeUndefined();
    // A report of a run without --shard among shards: named as such, whichever comes first.
    const whole = { ...a, shard: undefined };
    expect(() => mergeReports([whole, b], ['w.json', 'b.json'])).toThrow('w.json: not a shard (run without --shard), but b.json: shard 2/2; merge combines the shards of one --shard i/n run');
    expect(() => mergeReports([b, whole], ['b.json', 'w.json'])).toThrow('w.json: not a shard (run without --shard), but b.json: shard 2/2; merge combines the shards of one --shard i/n run');
    expect(() => mergeReports([a], ['a.json'])).toThrow(/missing shard 2\/2/);
    expect(() => mergeReports([a, a], ['a.json', 'c.json'])).toThrow(/shard 1\/2 is given twice/);
    expect(mergeReports([a, b]).results.map((r) => r.id)).toEqual(['ENV-001', 'ENV-002', 'ENV-003', 'ENV-004', 'ENV-005', 'ENV-006', 'ENV-007', 'ENV-008', 'ENV-009']);
  });

  it('refuses a shard that lost results, or whose summary disagrees with its results, naming the file and the ids', async () => {
    const a = await run({ ...base, only: ['ENV-00*'], shard: { index: 1, count: 2 } });
    const b = await run({ ...base, only: ['ENV-00*'], shard: { index: 2, count: 2 } });
    const ids = b.results.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(1);
    const blank = { ...b, results: [] };
    expect(() => mergeReports([a, blank], ['a.json', 'b.json'])).toThrow(`b.json: shard 2/2 of profile core (the selection it names) has ${ids.length} requirements, but the report holds no result for ${ids.length}: ${ids.join(', ')}; a report that lost results cannot be merged`);
    // One result gone, the summary recounted to match: still named.
    const lost = b.results.slice(1);
    expect(() => mergeReports([a, { ...b, results: lost, summary: summarize(lost, 0) }], ['a.json', 'b.json'])).toThrow(new RegExp(`^b\\.json: .* holds no result for 1: ${ids[0]};`));
    // A held-back id accounts for its requirement.
    expect(mergeReports([a, { ...b, results: lost, summary: summarize(lost, 1), heldBack: { ids: [ids[0]!] } }]).heldBack.ids).toEqual([ids[0]]);
    // Every result there, the summary edited.
    expect(() => mergeReports([a, { ...b, summary: { ...b.summary, pass: b.summary.pass + 1 } }], ['a.json', 'b.json'])).toThrow(`b.json: its summary disagrees with its results (pass is ${b.summary.pass + 1} but the results count ${b.summary.pass}); a report that does not agree with itself cannot be merged`);
  }, 60_000);

  it('a shard that stopped (interrupted, or killed while its report said in progress) makes the merge incomplete, whichever place it has', async () => {
    const a = await run({ ...base, only: ['ENV-00*'], shard: { index: 1, count: 2 } });
    const b = await run({ ...base, only: ['ENV-00*'], shard: { index: 2, count: 2 } });
    const cut = b.results.slice(0, 1);
    const inProgress = inProgressReport({ ...base, checks: CHECKS, only: ['ENV-00*'], shard: { index: 2, count: 2 } }, new Date(), cut);
    expect(inProgress.shard).toEqual({ index: 2, count: 2 });
    for (const order of [[a, inProgress], [inProgress, a]]) {
      const merged = mergeReports(order, ['x.json', 'y.json']);
      expect([merged.verdict, merged.exitCode, merged.stopped]).toEqual(['incomplete', 3, inProgress.stopped]);
    }
  }, 60_000);

  it('a gate shard that lost its failing result is refused, not merged into GATE PASSED', async () => {
    const gateRun = { profile: 'core', faults: ['env-status-mismatch'], seed: 3, safety: 'draft' as const, fuzz: { runs: 20 }, only: ['ENV-*'] };
    const noDeployment = { files: [], live: false };
    const shards = [];
    for (const index of [1, 2]) shards.push((await runGate({ run: { ...gateRun, shard: { index, count: 2 } }, deployment: noDeployment })).profile!);
    expect(mergeReports(shards).gate).toMatchObject({ verdict: 'failed', exitCode: 1 });
    const at = shards.findIndex((s) => s.results.some((r) => r.id === 'ENV-003' && r.status === 'fail'));
    const cut = shards[at]!.results.filter((r) => r.id !== 'ENV-003');
    const tampered = shards.map((s, i) => (i === at ? { ...s, results: cut, summary: summarize(cut, s.heldBack.ids.length) } : s));
    expect(() => mergeReports(tampered, ['s1.json', 's2.json'])).toThrow(new RegExp(`^s${at + 1}\\.json: shard ${at + 1}/2 of profile core .*holds no result for 1: ENV-003;`));
  }, 60_000);

  it('gives personas of each shard their own names', async () => {
    const { provisionPersona } = await import('../../src/runner/personas.js');
    const made: { name: string; serviceUserId?: string }[] = [];
    const admin = { createApp: async (spec: any) => (made.push(spec), { appId: 'app_x', keyId: 'key_x', token: 'op_x' }) } as any;
    await provisionPersona(admin, { scopes: [], orgId: 'org_demo' } as any, { name: 'reader' }, () => ({}) as any, '_s2of3');
    expect(made[0]!.name).toMatch(/^openport-conform reader_s2of3 [0-9a-f]{6}$/);
    expect(made[0]!.serviceUserId).toBe('svc_conform_reader_s2of3');
  });
});
