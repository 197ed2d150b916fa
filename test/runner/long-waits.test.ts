// Checks that wait out a server-side lifetime (CheckDef.waitsMs; PREFLIGHT-009, a preflightId's ten minutes):
// in-process the run's virtual clock, shared with the runtime, moves the wait at once and the check judges;
// against a server's own clock the check is not run without --long-waits, and stays outside the verdict like
// another binding's checks; with it, the wait is really made and ends with the run's signal.
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { createRuntime, startHttpServer, type Runtime } from '../../src/runtime/index.js';
import { virtualClock, type Clock } from '../../src/runner/clock.js';
import { notApplicable } from '../../src/runner/runner.js';
import { dryRun } from '../../src/runner/run.js';
import { CHECKS } from '../../suites/index.js';
import { preflight009 } from '../../suites/preflight/preflight-009.js';
import { testRuntime } from '../runtime/helpers.js';
import type { RunReport } from '../../src/runner/result.js';

const ONLY = ['PREFLIGHT-006', 'PREFLIGHT-009'];

/** The runtime served over loopback; with `clock`, its windows run on the clock the run is handed too. */
async function served(opts: { clock?: Clock; faults?: string[]; longWaits?: boolean; signal?: AbortSignal }): Promise<RunReport> {
  const runtime: Runtime = testRuntime({ faults: opts.faults, ...(opts.clock ? { windowNow: opts.clock.now } : {}) });
  const server = await startHttpServer(runtime);
  try {
    return await run({
      url: server.url, adminHeaders: runtime.adminHeaders, safety: 'draft', profile: 'write-lifecycle', only: ONLY, seed: 3,
      ...(opts.clock ? { windowClock: opts.clock } : {}), ...(opts.longWaits ? { longWaits: true } : {}), ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } finally {
    await server.close();
    await runtime.close();
  }
}

const result = (r: RunReport, id: string) => r.results.find((x) => x.id === id)!;

describe('checks that wait out a server-side lifetime', () => {
  it("against a server's own clock without --long-waits: not run, with the flag to add, and outside the verdict", async () => {
    const report = await served({});
    expect(result(report, 'PREFLIGHT-009')).toMatchObject({ status: 'skip', hint: '--long-waits', message: expect.stringMatching(/^not run: .*--long-waits/) });
    expect(report.binding?.notApplicable).toEqual(['PREFLIGHT-009']);
    // Neither passed nor a MUST left unjudged: the verdict is made of the other check alone.
    expect(report.summary).toMatchObject({ pass: 1, skip: 1 });
    expect(report.verdict).toBe('selection-passed');
  }, 30_000);

  it('run --list says what the run does: skipped against a url without --long-waits, run with it and in-process', async () => {
    const row = async (opts: Parameters<typeof dryRun>[0]) => (await dryRun(opts)).rows.find((r) => r.id === 'PREFLIGHT-009');
    const url = { url: 'http://127.0.0.1:9', adminHeaders: { authorization: 'Bearer adm_x' }, safety: 'draft' as const, profile: 'write-lifecycle', checks: CHECKS };
    expect(await row(url)).toMatchObject({ outcome: 'skip', why: expect.stringMatching(/^not run: .*--long-waits \(outside the verdict\)$/) });
    expect(await row({ ...url, longWaits: true })).toMatchObject({ outcome: 'run' });
    expect(await row({ profile: 'write-lifecycle', checks: CHECKS })).toMatchObject({ outcome: 'run' });
  });

  it('on a clock the run shares with the server: runs, passes the clean runtime and fails a preflightId that never expires', async () => {
    const clean = await served({ clock: virtualClock() });
    expect(result(clean, 'PREFLIGHT-009')).toMatchObject({ status: 'pass' });
    expect(clean.binding).toBeUndefined();
    const faulty = await served({ clock: virtualClock(), faults: ['preflight-never-expires'] });
    expect(result(faulty, 'PREFLIGHT-009')).toMatchObject({ status: 'fail', finding: { expected: { status: 400, code: 'agent.preflight_not_found' } } });
    expect(faulty.verdict).toBe('not-conformant');
  }, 30_000);

  it('the embedded run shares its virtual clock: the check runs there with no flag', async () => {
    const report = await run({ profile: 'write-lifecycle', only: ['PREFLIGHT-009'], seed: 3 });
    expect(result(report, 'PREFLIGHT-009').status).toBe('pass');
  }, 30_000);

  it("under --long-waits it runs against a server's clock, and the run's signal ends the wait", async () => {
    expect(notApplicable(preflight009, { longWaits: true })).toBeUndefined();
    expect(notApplicable(preflight009, {})).toMatchObject({ hint: '--long-waits' });
    const stop = new AbortController();
    // Without the interrupt the check would sit in its ten-minute wait (and this test time out); it ends it.
    const timer = setTimeout(() => stop.abort(new Error('interrupted: test')), 500);
    const report = await served({ longWaits: true, signal: stop.signal }).finally(() => clearTimeout(timer));
    expect(result(report, 'PREFLIGHT-009')).toMatchObject({ status: 'error', errorCode: 'OPC_E_ABORTED' });
    expect(report.binding).toBeUndefined();
  }, 30_000);
});
