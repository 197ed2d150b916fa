// The suite is proven sensitive: the clean runtime passes the full state-witness profile, every fault of the
// runtime is caught by a check of the clauses it breaks (the whole kill matrix, one row per fault), every
// clause a fault breaks and a check judges is covered, and no check can be blanked unnoticed beyond the
// pinned list of checks no fault needs yet.
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mutate } from '../support/suite.js';
import { expectFullMcpCoverage } from '../support/mcp-coverage.js';
import { FAULTS, faultClauses, faultRequirements } from '../../src/runtime/faults/index.js';
import { CHECKS } from '../../suites/index.js';
import { CLAUSES } from '../../src/protocol/clauses.js';
import { loadProfile } from '../../src/runner/profiles.js';
import { GATE_JUDGE } from '../../src/gate/judge.js';

const PROFILE = new Set(loadProfile('state-witness').requirements.map((r) => r.id));
/** The MCP binding's own requirements: skipped on HTTP, so the HTTP matrix neither runs nor blanks them. */
const MCP_ONLY = new Set(CHECKS.filter((c) => c.bindings && !c.bindings.includes('http')).map((c) => c.id));
/** Faults of the MCP front: every clause they break is the MCP binding's, so they do not apply to the HTTP matrix (test/runner/mcp-binding.test.ts kills them). */
const MCP_FAULTS = FAULTS.filter((f) => faultClauses(f).every((c) => c.bindings?.includes('mcp'))).map((f) => f.name);
const ON_HTTP = CLAUSES.filter((c) => !c.bindings || c.bindings.includes('http'));
/** The clauses coverage is measured over: those a client can judge. */
const HTTP_CLAUSES = ON_HTTP.filter((c) => c.beyondReach === undefined);

/** Faults that cannot apply to a domain, with the reason. Every fault applies to both shipped domains today. */
const NOT_APPLICABLE: Record<string, Record<string, string>> = { demo: {}, helpdesk: {} };

/**
 * Clauses of the brief a client can judge that no fault breaks in a way one of their own requirements catches,
 * on either domain: the distance to 100 % clause coverage. Every such clause has a killing fault; a new clause
 * without one fails here. (The clauses no client can judge carry their reason in the clause table and are
 * counted apart.)
 */
const UNCOVERED_CLAUSES = 0;

/**
 * Checks of the demo domain's state-witness profile (seed 7) that can pass without looking and no fault
 * survives: no fault breaks a clause they judge, or every fault that does is caught by another check as well.
 * The list only shrinks: a new fault aimed at one of them removes its entry, and a check that becomes
 * blankable fails this test.
 */
const BLANKABLE = {
  // ENV-010 and ENV-011 are project-level (no clause of the brief, so no fault aims at them):
  // test/runner/openapi.test.ts proves ENV-010 catches a response shape the document contradicts, and
  // test/suites/core-review.test.ts proves ENV-011 names an unrequested Content-Encoding.
  noFaultAimed: ['ENV-010', 'ENV-011'],
  caughtByAnother: [
    'ENV-002', 'ENV-004', 'ENV-005', 'AUTHN-004', 'DISC-003', 'DISC-004', 'AUDIT-003',
    'FUZZ-003', 'FUZZ-004', 'FUZZ-006', 'FUZZ-008', 'WRITE-001', 'WRITE-002', 'WRITE-003', 'FUZZ-005',
  ],
};

describe('mutate', () => {
  it.each(['demo', 'helpdesk'] as const)('%s domain: kills every runtime fault that applies with a check of its clauses, covers every clause a fault breaks and a check judges, and the clean run is conformant', async (domain) => {
    const report = await mutate({ profile: 'state-witness', seed: 7, parallel: 4, domain, blankChecks: domain === 'demo' });
    const applicable = FAULTS.filter((f) => !(f.name in NOT_APPLICABLE[domain]) && !MCP_FAULTS.includes(f.name));
    expect(report.clean).toMatchObject({ verdict: 'conformant', failed: [], errored: [] });
    const row = (m: (typeof report.mutants)[number]) => (m.killed ? 'killed' : `SURVIVED (${m.failed.join(',')}; errors: ${m.errored.join(',')})`);
    expect(report.mutants.filter((m) => !m.applies).map((m) => m.fault)).toEqual(MCP_FAULTS);
    expect(Object.fromEntries(report.mutants.filter((m) => m.applies).map((m) => [m.fault, row(m)]))).toEqual(Object.fromEntries(applicable.map((f) => [f.name, 'killed'])));
    for (const m of report.mutants.filter((x) => x.applies)) {
      // Each mutant ran only the checks of its clauses, and was caught by one of them.
      expect(m.requirements, m.fault).toEqual(faultRequirements(FAULTS.find((f) => f.name === m.fault)!).filter((id) => PROFILE.has(id) || GATE_JUDGE.rules.includes(id)));
      expect(m.failed.every((id) => m.requirements.includes(id)), m.fault).toBe(true);
    }
    expect(report.score).toEqual({ killed: applicable.length, total: applicable.length, notApplicable: MCP_FAULTS.length });
    expect(report.ok).toBe(true);

    const c = report.coverage;
    expect(c.total).toBe(HTTP_CLAUSES.length);
    expect(c.survived).toEqual([]);
    expect(c.covered + c.noFault.length + c.noCheck.length + c.survived.length).toBe(c.total);
    // The clauses no client can judge are named apart, never counted nor dropped.
    expect(c.beyondReach).toEqual(ON_HTTP.filter((x) => x.beyondReach !== undefined).map((x) => x.id));
    expect(c.total - c.covered, `clause coverage ${c.covered}/${c.total}; uncovered: ${[...c.noCheck, ...c.noFault].join(', ')}`).toBe(UNCOVERED_CLAUSES);
    // noCheck: clauses a fault breaks whose requirements list is empty in the clause table.
    for (const id of c.noCheck) expect(CLAUSES.find((x) => x.id === id)!.requirements, id).toEqual([]);
    const named = new Set<string>(FAULTS.flatMap((f) => f.clauses));
    expect(c.noFault).toEqual(HTTP_CLAUSES.filter((x) => !named.has(x.id)).map((x) => x.id));
    // docs/coverage.md counts, from the tables alone, the clauses with a killing fault: what this run measures.
    expect(c.covered).toBe(HTTP_CLAUSES.filter((x) => x.requirements.length > 0 && named.has(x.id)).length);

    if (domain === 'demo') {
      const blank = report.blank!;
      expect(blank.checks.map((k) => k.id).sort()).toEqual([...PROFILE].filter((id) => !MCP_ONLY.has(id)).sort());
      const unaimed = blank.checks.filter((k) => k.aimed.length === 0).map((k) => k.id);
      const redundant = blank.blankable.filter((id) => !unaimed.includes(id));
      expect({ noFaultAimed: unaimed, caughtByAnother: redundant }).toEqual(BLANKABLE);
    }
  }, 240_000);

  // At this seed another check's write moves the export's impact between IDEM-002's execution and its repeat, so a
  // server comparing the hash before the key refuses the repeat with preflight_mismatch; the repeat is prepared
  // afresh with the same key, so that a server running it again is still seen (two faults survived here before).
  it('IDEM-002 sees a repeat run again even where the export\'s impact moved in between (seed 2794099126)', async () => {
    const report = await mutate({ profile: 'state-witness', seed: 2794099126, parallel: 2, domain: 'demo', faults: ['idem-replay-later-tools-runs-again', 'idem-ignored-when-not-required'] });
    expect(report.mutants.map((m) => [m.fault, m.killed])).toEqual([['idem-replay-later-tools-runs-again', true], ['idem-ignored-when-not-required', true]]);
  });

  // The kill matrix must not depend on the seed either: a fault the suite finds only at some seeds would let a
  // server with that defect pass at the others. A seed drawn afresh on every test run (its name carries it).
  const fresh = randomInt(0, 2 ** 32);
  it(`demo domain at random seed ${fresh}: kills every runtime fault that applies`, async () => {
    const report = await mutate({ profile: 'state-witness', seed: fresh, parallel: 4, domain: 'demo' });
    expect(report.clean).toMatchObject({ verdict: 'conformant', failed: [], errored: [] });
    expect(report.mutants.filter((m) => m.applies && !m.killed).map((m) => `${m.fault} (${m.failed.join(',')}; errors: ${m.errored.join(',')})`)).toEqual([]);
  }, 240_000);

  // Over MCP on one domain here: test/runner/mcp-binding.test.ts runs the demo domain's matrix over MCP and
  // pins its coverage the same way, so each binding is pinned on both domains without running a matrix twice.
  it('helpdesk domain over MCP: covers every clause that applies to the binding, each killed by its own check', async () => {
    expectFullMcpCoverage(await mutate({ binding: 'mcp', profile: 'state-witness', seed: 7, parallel: 4, domain: 'helpdesk' }));
  }, 240_000);

  it('reports a surviving fault as not ok, and a clause it alone breaks as not covered', async () => {
    // Under the core profile the write-lifecycle requirements this fault's clauses name are never run.
    const report = await mutate({ profile: 'core', faults: ['write-reapprove'], seed: 7 });
    expect(report.mutants[0]).toMatchObject({ fault: 'write-reapprove', requirements: [], killed: false, applies: true });
    expect(report.ok).toBe(false);
    expect([...report.coverage.noCheck].sort()).toEqual(['WRITE.execution.once', 'WRITE.final.approve-confirmed']);
  }, 60_000);

  it("judges a deployment fault with the gate's deployment scan, and without the scan leaves its clause unjudged", async () => {
    const judged = await mutate({ profile: 'core', faults: ['gate-high-risk-no-preflight'], seed: 7 });
    expect(judged.mutants[0]).toMatchObject({ requirements: ['GATE-002'], failed: ['GATE-002'], killed: true });
    expect(judged.clean.failed).toEqual([]);
    const blind = await mutate({ profile: 'core', faults: ['gate-high-risk-no-preflight'], seed: 7, deployment: undefined });
    expect(blind.mutants[0]).toMatchObject({ requirements: [], killed: false });
    expect(blind.coverage.noCheck).toEqual(['GATE.deploy.high-risk-preflight-gated']);
  }, 60_000);

  it('notices a blanked check: the faults aimed only at it survive', async () => {
    const report = await mutate({ profile: 'state-witness', faults: ['abac-cidr-broken', 'authn-revocation-cache'], seed: 7, blankChecks: true });
    const rows = Object.fromEntries(report.blank!.checks.filter((k) => k.aimed.length > 0).map((k) => [k.id, k]));
    // ABAC-002 alone judges the CIDR clause: blanked, the fault survives.
    expect(rows['ABAC-002']).toMatchObject({ aimed: ['abac-cidr-broken'], survivor: 'abac-cidr-broken' });
    // The revocation fault is also caught by the FUZZ model checks, so blanking AUTHN-004 alone goes unnoticed.
    expect(rows['AUTHN-004']).toEqual({ id: 'AUTHN-004', aimed: ['authn-revocation-cache'] });
    expect(report.blank!.blankable).toContain('AUTHN-004');
    expect(report.blank!.blankable).not.toContain('ABAC-002');
  }, 60_000);
});

describe('mutate on worker threads', () => {
  /** The entry `mutate` itself gives its threads, compiled as the tests run it. */
  const ENTRY = new URL('../../dist/src/cli/mutate-thread.js', import.meta.url);
  const dist = (path: string) => JSON.stringify(new URL(`../../dist/${path}`, import.meta.url).href);
  const dir = mkdtempSync(join(tmpdir(), 'opc-mutate-threads-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  /** A thread entry of the test's own, as a file (a thread loads a module by its URL). */
  const entry = (name: string, code: string) => {
    const file = join(dir, `${name}.mjs`);
    writeFileSync(file, code);
    return pathToFileURL(file);
  };
  const FAULT_SAMPLE = ['abac-cidr-broken', 'authn-revocation-cache', 'write-reapprove', 'gate-high-risk-no-preflight', 'preflight-never-expires', 'mcp-token-in-query'];
  const rows = (r: Awaited<ReturnType<typeof mutate>>) => r.mutants.map(({ durationMs: _, ...row }) => row);

  it('judges every fault on the threads as on this thread: the same rows in the same order, the same clean run and coverage', async () => {
    const here = await mutate({ profile: 'state-witness', faults: FAULT_SAMPLE, seed: 7, parallel: 2 });
    // Each fault judged once, by one thread: progress sees every row exactly once, counted up to the total.
    const seen: [string, number, number][] = [];
    const there = await mutate({ profile: 'state-witness', faults: FAULT_SAMPLE, seed: 7, parallel: 2, threads: { count: 2, entry: ENTRY }, onMutant: (m, done, total) => seen.push([m.fault, done, total]) });
    expect(seen.map(([f]) => f).sort()).toEqual([...FAULT_SAMPLE].sort());
    expect(seen.map(([, done, total]) => [done, total])).toEqual(FAULT_SAMPLE.map((_, i) => [i + 1, FAULT_SAMPLE.length]));
    expect(rows(there)).toEqual(rows(here));
    expect(rows(there).map((m) => [m.fault, m.killed || !m.applies])).toEqual(FAULT_SAMPLE.map((f) => [f, true]));
    expect(there.clean).toEqual({ ...here.clean, durationMs: there.clean.durationMs });
    expect(there.coverage).toEqual(here.coverage);
    expect(there.ok).toBe(true);
  }, 120_000);

  it("takes every row from the threads, judged with the threads' own checks", async () => {
    // The threads' checks pass without looking: every fault they judge survives, while this thread's clean run is conformant.
    const blind = entry('blind', `import { workerData } from 'node:worker_threads';
import { serveMutants } from ${dist('src/selftest/mutate.js')};
import { CHECKS } from ${dist('suites/index.js')};
await serveMutants({ ...workerData, checks: CHECKS.map((c) => ({ ...c, run: async () => undefined })) });
`);
    const report = await mutate({ profile: 'state-witness', faults: ['abac-cidr-broken', 'authn-revocation-cache'], seed: 7, threads: { count: 2, entry: blind } });
    expect(report.mutants.map((m) => [m.fault, m.killed])).toEqual([['abac-cidr-broken', false], ['authn-revocation-cache', false]]);
    expect(report.clean.verdict).toBe('conformant');
    expect(report.ok).toBe(false);
  }, 60_000);

  it('ends with an error when progress reporting throws on a row from a thread', async () => {
    const report = mutate({ profile: 'core', faults: ['abac-cidr-broken'], seed: 7, threads: { count: 1, entry: ENTRY }, onMutant: () => { throw new Error('progress broke'); } });
    await expect(report).rejects.toThrow('progress broke');
  }, 60_000);

  it('ends with an error when a thread fails or stops before every fault is judged', async () => {
    const failing = entry('failing', "throw new Error('no checks here');\n");
    await expect(mutate({ profile: 'core', faults: ['abac-cidr-broken'], seed: 7, threads: { count: 1, entry: failing } })).rejects.toThrow('a thread judging mutants failed: no checks here');
    const idle = entry('idle', '// judges nothing\n');
    await expect(mutate({ profile: 'core', faults: ['abac-cidr-broken'], seed: 7, threads: { count: 1, entry: idle } })).rejects.toThrow('a thread judging mutants stopped (exit code 0) before every fault was judged');
  }, 60_000);
});
