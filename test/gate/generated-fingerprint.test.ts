// A finding on a generated request (a fuzz counterexample) is fingerprinted without its route: which route a
// property fails on first is the seed's choice, so one defect keeps one fingerprint, and a baseline written at
// one seed accepts it at every other. Its route is shown as the pattern it was aimed at, its request as sent.
import { beforeAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/runner/result.js';
import { fingerprintOf, hashFingerprint } from '../../src/runner/fingerprint.js';
import { applyBaseline, updateBaseline, type Baseline } from '../../src/gate/baseline.js';
import { routeOf, routePatternOf } from '../../src/kit/check.js';
import { run, runGate } from '../support/suite.js';

// Malformed JSON bodies get a 500 on every route that reads one; at seed 3 the first counterexample is an
// admin-plane approve of a generated draft id, at the others an agent-plane POST /actions.
const FAULT = 'env-malformed-json-500';
const SEEDS = [1, 2, 3, 4, 5, 6];
const runOpts = (seed: number) => ({ faults: [FAULT], only: ['FUZZ-001'], seed });
const noDeployment = { files: [], live: false };
const REASON = 'malformed JSON handling fix ships in 2.1';

const bySeed = new Map<number, CheckResult>();
beforeAll(async () => {
  for (const seed of SEEDS) bySeed.set(seed, (await run(runOpts(seed))).results.find((r) => r.id === 'FUZZ-001')!);
}, 120_000);

describe('fingerprints of generated requests', () => {
  it('the same fault has the same fingerprint at every seed, though its counterexamples hit different routes', () => {
    const results = [...bySeed.values()];
    for (const r of results) expect(r).toMatchObject({ status: 'fail', finding: { generated: true, actual: { status: 500, code: 'common.internal_error' } } });
    // The seeds found it on more than one route, each said as its pattern; the request itself as it was sent.
    expect(new Set(results.map((r) => r.finding!.route)).size).toBeGreaterThan(1);
    const third = bySeed.get(3)!;
    expect(third.finding!.route).toBe('POST /api/agent-admin/v1/drafts/:id/approve');
    expect(third.exchange!.request.path).toBe('/api/agent-admin/v1/drafts/%2e%2e/approve');
    expect(third.actual).toContain('admin POST /api/agent-admin/v1/drafts/%2e%2e/approve');
    expect(new Set(results.map(fingerprintOf))).toEqual(new Set([fingerprintOf(bySeed.get(1)!)]));
  });

  it('a baseline written at one seed accepts the failure at every other seed', async () => {
    const { baseline } = updateBaseline([bySeed.get(1)!], undefined);
    const accepted: Baseline = { entries: baseline.entries.map((e) => ({ ...e, reason: REASON })) };
    for (const seed of SEEDS) expect(applyBaseline([bySeed.get(seed)!], accepted), `seed ${seed}`).toMatchObject({ suppressed: 1, unlisted: [], unmatched: [] });
    const g = await runGate({ run: runOpts(3), baseline: { file: 'openport-baseline.yaml', data: accepted }, deployment: noDeployment });
    expect(g).toMatchObject({ verdict: 'selection-passed', exitCode: 0 });
    expect(g.baseline).toMatchObject({ suppressed: 1, unlisted: [], unmatched: [], legacy: [] });
  }, 60_000);

  it('different defects keep different fingerprints: another reason code, another route of a request not generated', () => {
    const r = bySeed.get(1)!;
    const f = r.finding!;
    const withCode = (code: string): CheckResult => ({ ...r, finding: { ...f, actual: { ...f.actual, code } } });
    expect(fingerprintOf(withCode('common.validation'))).not.toBe(fingerprintOf(r));
    expect(fingerprintOf({ ...r, status: 'warn' })).not.toBe(fingerprintOf(r));
    // A request a check chose (not generated) is fingerprinted by its route: two routes, two fingerprints.
    const { generated: _generated, ...chosen } = f;
    const on = (route: string): CheckResult => ({ ...r, finding: { ...chosen, route } });
    expect(fingerprintOf(on('POST /api/agent/v1/actions'))).not.toBe(fingerprintOf(on('POST /api/agent-admin/v1/drafts/:id/approve')));
    // Nor does a generated request share its fingerprint with a chosen one on the same route.
    expect(fingerprintOf(on(f.route!))).not.toBe(fingerprintOf(r));
  });

  it('the route of a generated request is the pattern of the route it was aimed at', () => {
    const reads = ['/api/agent/v1/transactions'];
    const of = (method: string, path: string) => routePatternOf({ method, path }, reads);
    expect(of('GET', `/api/agent/v1/drafts/${'d'.repeat(1000)}`)).toBe('GET /api/agent/v1/drafts/:id');
    expect(of('POST', '/api/agent-admin/v1/drafts/%2e%2e/approve')).toBe('POST /api/agent-admin/v1/drafts/:id/approve');
    expect(of('POST', '/api/agent-admin/v1/apps/app_0000000000000000/keys')).toBe('POST /api/agent-admin/v1/apps/:id/keys');
    expect(of('PUT', '/api/agent/v1/actions')).toBe('PUT /api/agent/v1/actions');
    expect(of('GET', '/api/agent/v1/transactions?ledgerId=%ZZ')).toBe('GET /api/agent/v1/transactions');
    // A path no route has is said as sent, without its query: the hostile forms the fuzzer sends as they are.
    expect(of('GET', '/api/agent/v1/drafts/')).toBe('GET /api/agent/v1/drafts/');
    expect(of('GET', '/api/agent/v1/../agent-admin/v1/apps?x=1')).toBe('GET /api/agent/v1/../agent-admin/v1/apps');
  });

  it('an entry written when the fingerprint held the concrete route still accepts the failure at that seed, and baseline update rewrites it', () => {
    const r = bySeed.get(3)!;
    const concrete = hashFingerprint(['FUZZ-001', 'common.internal_error', 'fail', routeOf(r.exchange!.request)]);
    expect(concrete).not.toBe(fingerprintOf(r));
    const old: Baseline = { entries: [{ id: 'FUZZ-001', expect: 'fail', fingerprint: concrete, reason: REASON }] };
    expect(applyBaseline([r], old)).toMatchObject({ suppressed: 1, legacy: [old.entries[0]] });
    // At another seed it matched nothing: the concrete route was the seed's.
    expect(applyBaseline([bySeed.get(1)!], old)).toMatchObject({ suppressed: 0, unmatched: [old.entries[0]] });
    const { baseline, migrated } = updateBaseline([r], old);
    expect(migrated).toBe(1);
    expect(baseline.entries).toEqual([{ id: 'FUZZ-001', expect: 'fail', fingerprint: fingerprintOf(r), reason: REASON }]);
    expect(applyBaseline([bySeed.get(1)!], baseline)).toMatchObject({ suppressed: 1, legacy: [] });
  });
});
