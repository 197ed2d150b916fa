// A run that cannot finish: a server that stops answering mid-run (the run budget --max-time ends it), and a
// run interrupted while the target holds its POST /apps (the app exists, its id never came back). Both end
// with every report written, say they were interrupted, and attempt cleanup; the held app is found by the
// run marker in its name and revoked.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createRuntime } from '../../src/runtime/index.js';
import { startHttpServer } from '../../src/runtime/server.js';
import type { Runtime, RuntimeRequest, RuntimeResponse } from '../../src/runtime/types.js';
import type { RunReport } from '../../src/runner/result.js';
import { ProgressFile, SIGNAL_ECHO_MS } from '../../src/cli/run.js';
import { IN_PROGRESS, inProgressReport } from '../../src/runner/unevaluated.js';
import { Ajv } from 'ajv';
import { startCli, TestSignals } from '../support/cli.js';

const ADMIN_APPS = '/api/agent-admin/v1/apps';
const FILES = ['report.json', 'junit.xml', 'report.sarif', 'summary.md', 'report.html', 'exchanges.jsonl'];
const MAX_TIME_S = 3;
/**
 * A deadline no load reaches for the requests the server answers (the probes run in this busy process): what
 * ends these runs is the budget or the signal, never a request's own timeout.
 */
const ANSWER_TIMEOUT_MS = 10_000;

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-interrupted-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The reference runtime over HTTP, each request first shown to `gate`, which may hold it forever. */
async function serveThrough(runtime: Runtime, gate: (req: RuntimeRequest, answer: () => Promise<Awaited<ReturnType<Runtime['handle']>>>) => Promise<Awaited<ReturnType<Runtime['handle']>>>) {
  return startHttpServer({ ...runtime, handle: (req) => gate(req, () => runtime.handle(req)) });
}

function runArgs(runtime: Runtime, url: string, out: string, extra: string[] = [], token = true): string[] {
  const admin = Object.entries(runtime.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
  return ['run', url, ...(token ? ['--token', runtime.bootstrap.agentToken] : []), ...admin, '--safety', 'draft', '--timeout', String(ANSWER_TIMEOUT_MS), '--out', out, '--reporter', 'pretty,json,junit,sarif,markdown,html', ...extra];
}

const never = <T>() => new Promise<T>(() => undefined);

async function appsOf(runtime: Runtime): Promise<{ id: string; name: string; status: string }[]> {
  const r = await runtime.handle({ method: 'GET', path: ADMIN_APPS, headers: runtime.adminHeaders, clientIp: '127.0.0.1' });
  return (JSON.parse(r.body) as { data: { items: { id: string; name: string; status: string }[] } }).data.items;
}

/**
 * The runtime over HTTP with its first POST /apps handed to `first` (which may delay it, and withholds its answer),
 * every other request answered and then shown to `after`. `arrived` resolves when that POST comes.
 */
async function holdingFirstCreate(runtime: Runtime, first: (answer: () => Promise<RuntimeResponse>) => Promise<void>, after?: (req: RuntimeRequest) => void) {
  let arrive: () => void;
  const arrived = new Promise<void>((resolve) => (arrive = resolve));
  let holding = false;
  const server = await serveThrough(runtime, async (req, answer) => {
    if (req.method === 'POST' && req.path === ADMIN_APPS && !holding) {
      holding = true;
      arrive();
      await first(answer);
      return never();
    }
    const res = await answer();
    if (holding) after?.(req);
    return res;
  });
  return { server, arrived };
}

/** `value` once it comes; a run that ended before `what` would leave nothing to interrupt: fail with what it said. */
const beforeEnd = <T>(value: Promise<T>, run: ReturnType<typeof startCli>, what = 'any POST /apps'): Promise<T> =>
  Promise.race([value, run.done.then((o) => Promise.reject(new Error(`the run ended before ${what}: ${o.stderr}`)))]);

/** App `id` revoked, and no app the run created left active (the bootstrap app is not the run's). */
async function expectRevoked(runtime: Runtime, id: string): Promise<void> {
  const apps = await appsOf(runtime);
  expect(apps.find((a) => a.id === id)?.status).toBe('revoked');
  expect(apps.filter((a) => a.id !== runtime.bootstrap.appId && a.status === 'active')).toEqual([]);
}

const appIdOf = (res: RuntimeResponse): string => (JSON.parse(res.body) as { data: { app: { id: string } } }).data.app.id;

/** The runtime served so that `answered` requests are answered, then none: `stalled` settles at the first unanswered one. */
async function stallingAfter(runtime: ReturnType<typeof createRuntime>, answered: number) {
  let arrive: () => void;
  const stalled = new Promise<void>((resolve) => (arrive = resolve));
  let seen = 0;
  const server = await serveThrough(runtime, (_req, answer) => {
    if (++seen <= answered) return answer();
    arrive();
    return never();
  });
  return { server, stalled };
}

describe('report.json while the run runs', () => {
  it('holds the results so far, validates, and reads as an interrupted run until the final report replaces it', async () => {
    const file = join(work, 'progress.json');
    const startedAt = new Date('2026-01-01T00:00:00Z');
    // Interval 0: every result is written at once (the coalescing is pinned below).
    const progress = new ProgressFile(file, (results) => inProgressReport({ checks: [], url: 'http://127.0.0.1:1', seed: 7, marker: 'opc-run-0123456789ab' }, startedAt, results), ['op_secret_value'], 0);
    const result = { id: 'ENV-001', level: 'MUST', layer: 'core', title: 't', safety: 'read-only', status: 'fail', message: 'echoed op_secret_value', durationMs: 1 } as const;
    progress.add(result);
    progress.add({ ...result, id: 'ENV-002', status: 'pass', message: undefined });
    const written = JSON.parse(readFileSync(file, 'utf8')) as RunReport;
    expect(written.results.map((r) => r.id)).toEqual(['ENV-001', 'ENV-002']);
    expect(written.stopped).toBe(IN_PROGRESS);
    // What it found already fails it; it still says the run had not ended.
    expect(written.verdict).toBe('not-conformant');
    // Its cleanup has not run: should the process die now, this report is the one that names what it leaves active.
    expect(written.cleanup).toEqual({ revoked: [], failed: [expect.stringContaining('named "… opc-run-0123456789ab"')] });
    expect(JSON.stringify(written)).not.toContain('op_secret_value');
    const schema = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'fixtures', 'schemas', 'report.schema.json'), 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
    // After close, nothing more is written over the final report.
    progress.close();
    progress.add({ ...result, id: 'ENV-003' });
    expect((JSON.parse(readFileSync(file, 'utf8')) as RunReport).results).toHaveLength(2);
  });

  it('is written at the first result, then at most once per interval, the pending results by a timer or a flush', () => {
    vi.useFakeTimers();
    try {
      const file = join(work, 'coalesced.json');
      const results = (): string[] => (JSON.parse(readFileSync(file, 'utf8')) as RunReport).results.map((r) => r.id);
      const progress = new ProgressFile(file, (rs) => inProgressReport({ checks: [], url: 'http://127.0.0.1:1', seed: 7 }, new Date(0), rs), [], 1000);
      const result = { level: 'MUST', layer: 'core', title: 't', safety: 'read-only', status: 'pass', durationMs: 1 } as const;
      progress.add({ ...result, id: 'ENV-001' });
      expect(results()).toEqual(['ENV-001']);
      progress.add({ ...result, id: 'ENV-002' });
      progress.add({ ...result, id: 'ENV-003' });
      expect(results()).toEqual(['ENV-001']);
      // The interval passes with nothing more coming (a stalled target): the pending results are written.
      vi.advanceTimersByTime(1000);
      expect(results()).toEqual(['ENV-001', 'ENV-002', 'ENV-003']);
      progress.add({ ...result, id: 'ENV-004' });
      expect(results()).toHaveLength(3);
      // A signal does not wait for the interval.
      progress.flush();
      expect(results()).toHaveLength(4);
      progress.add({ ...result, id: 'ENV-005' });
      progress.close();
      vi.advanceTimersByTime(1000);
      expect(results()).toHaveLength(4);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a run that cannot finish', () => {
  it(`a server that hangs mid-run: the run stops at --max-time ${MAX_TIME_S}, attempts cleanup and writes every report marked interrupted`, async () => {
    const runtime = createRuntime();
    // Answers the probes and the first checks, then nothing at all, cleanup included.
    const seen: string[] = [];
    const server = await serveThrough(runtime, (req, answer) => {
      seen.push(`${req.method} ${req.path}`);
      return seen.length <= 25 ? answer() : never();
    });
    const out = join(work, 'hang');
    try {
      const run = startCli(runArgs(runtime, server.url, out, ['--max-time', String(MAX_TIME_S)]));
      const o = await run.done;
      expect(o.code).toBe(3);
      expect(o.stdout).toContain(`INCOMPLETE (interrupted: the run budget --max-time ${MAX_TIME_S} s was spent)`);
      for (const f of FILES) expect(existsSync(join(out, f)), f).toBe(true);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(report.verdict).toBe('incomplete');
      expect(report.stopped).toBe(`interrupted: the run budget --max-time ${MAX_TIME_S} s was spent`);
      // The bound the budgets promise: the run's budget, then cleanup's own, then the reports.
      expect(report.durationMs).toBeLessThan((MAX_TIME_S + 10) * 1000);
      // Cleanup was attempted (the listing of the target's apps was sent) and what it could not revoke is listed.
      expect(seen.slice(25)).toContain(`GET ${ADMIN_APPS}`);
      expect(report.cleanup.failed.length).toBeGreaterThan(0);
      expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('interrupted: the run budget');
      expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('interrupted: the run budget');
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);

  it('interrupted while its POST /apps is still on the way: the app the server creates after cleanup listed the apps is found by a second listing and revoked', async () => {
    const runtime = createRuntime();
    let release: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let late: string | undefined;
    // The first POST /apps creates its app once the cleanup's listing of the apps has been answered.
    const { server, arrived } = await holdingFirstCreate(runtime, async (answer) => {
      await released;
      late = appIdOf(await answer());
    }, (req) => {
      if (req.method === 'GET' && req.path === ADMIN_APPS) release();
    });
    const out = join(work, 'late-create');
    const signals = new TestSignals();
    try {
      const run = startCli(runArgs(runtime, server.url, out), { signals });
      await beforeEnd(arrived, run);
      signals.send('SIGINT');
      const o = await run.done;
      expect(o.code).toBe(3);
      expect(late).toMatch(/^app_/);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(report.cleanup).toEqual({ revoked: expect.arrayContaining([late]), failed: [] });
      await expectRevoked(runtime, late!);
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);

  it('interrupted twice without admin headers: nothing was created on the server, and nothing is said to be left there', async () => {
    const runtime = createRuntime();
    // The probes and a few checks answered, then nothing: the read-only run is in flight when the signals come.
    const { server, stalled } = await stallingAfter(runtime, 8);
    const out = join(work, 'twice-read-only');
    const signals = new TestSignals();
    try {
      const run = startCli(['run', server.url, '--token', runtime.bootstrap.agentToken, '--timeout', String(ANSWER_TIMEOUT_MS), '--reporter', 'json', '--out', out], { signals });
      await beforeEnd(stalled, run, 'the server stalled');
      signals.send('SIGINT');
      signals.advance(SIGNAL_ECHO_MS);
      signals.send('SIGINT');
      expect(signals.exitedWith).toBe(3);
      expect(run.stderr.text).toMatch(/interrupted again; exiting without cleanup; the report so far: \S+report\.json\n$/);
      const soFar = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(soFar.stopped).toBe(IN_PROGRESS);
      expect(soFar.cleanup).toEqual({ revoked: [], failed: [] });
      await run.done;
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);

  it('a gate interrupted twice (or killed outright) leaves report.json with its results so far and its shard, as run does', async () => {
    const runtime = createRuntime();
    const { server, stalled } = await stallingAfter(runtime, 8);
    const out = join(work, 'gate-twice');
    const signals = new TestSignals();
    try {
      const gate = startCli(['gate', server.url, '--token', runtime.bootstrap.agentToken, '--shard', '1/2', '--timeout', String(ANSWER_TIMEOUT_MS), '--out', out], { signals });
      await beforeEnd(stalled, gate, 'the server stalled');
      signals.send('SIGINT');
      signals.advance(SIGNAL_ECHO_MS);
      signals.send('SIGINT');
      expect(signals.exitedWith).toBe(3);
      const soFar = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(soFar.stopped).toBe(IN_PROGRESS);
      expect(soFar.shard).toEqual({ index: 1, count: 2 });
      // A gate's piece, as merge compares it with the other shards: judged as a gate, against no baseline.
      expect([soFar.profile, soFar.gate?.baseline, soFar.gate?.exitCode]).toEqual(['core', null, 3]);
      await gate.done;
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);

  it('interrupted twice: exits without cleanup, naming the marker of the apps it leaves active, as the report written at the first signal does', async () => {
    const runtime = createRuntime();
    const { server, arrived } = await holdingFirstCreate(runtime, async (answer) => void (await answer()));
    const out = join(work, 'twice-url');
    const signals = new TestSignals();
    try {
      const run = startCli(runArgs(runtime, server.url, out), { signals });
      await beforeEnd(arrived, run);
      signals.send('SIGINT');
      signals.advance(SIGNAL_ECHO_MS);
      signals.send('SIGINT');
      expect(signals.exitedWith).toBe(3);
      const marker = /revoke those named "… (opc-run-[0-9a-f]{12})" by hand; the report so far: \S+report\.json\n$/.exec(run.stderr.text)?.[1];
      expect(marker, run.stderr.text).toBeDefined();
      // Read at once: a real process is gone now (in process the run goes on, and its final report replaces this one).
      const soFar = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(soFar.stopped).toBe(IN_PROGRESS);
      expect(soFar.cleanup.failed).toEqual([expect.stringContaining(`named "… ${marker}"`)]);
      await run.done;
      // The marker named is the one the run's apps carry.
      expect((await appsOf(runtime)).filter((a) => a.id !== runtime.bootstrap.appId).every((a) => a.name.endsWith(` ${marker}`))).toBe(true);
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);

  // With --token the first app is a check's persona; without, the agent token the run provisions for itself.
  it.each([['a persona', true], ['the run\'s own agent token', false]] as const)('interrupted during POST /apps (%s): the app whose id never came back is found by its marker and revoked', async (_what, token) => {
    const runtime = createRuntime();
    let held: (id: string) => void;
    const heldApp = new Promise<string>((resolve) => (held = resolve));
    // The first POST /apps creates its app, and its answer is held forever.
    const { server } = await holdingFirstCreate(runtime, async (answer) => held(appIdOf(await answer())));
    const out = join(work, `held-${token}`);
    const signals = new TestSignals();
    try {
      const run = startCli(runArgs(runtime, server.url, out, [], token), { signals });
      const appId = await beforeEnd(heldApp, run);
      expect((await appsOf(runtime)).find((a) => a.id === appId)?.status).toBe('active');
      signals.send('SIGINT');
      const o = await run.done;
      expect(o.stderr).toContain('interrupted (SIGINT)');
      expect(o.stdout).toContain('(interrupted (SIGINT))');
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as RunReport;
      expect(report.stopped).toBe('interrupted (SIGINT)');
      // (Stopped before its first check, the run reports no cleanup of checks; its error names what it could not revoke.)
      if (token) expect(report.cleanup).toEqual({ revoked: expect.arrayContaining([appId]), failed: [] });
      else expect(o.stderr).not.toContain('could not revoke');
      await expectRevoked(runtime, appId);
    } finally {
      await server.close();
      await runtime.close();
    }
  }, 60_000);
});
