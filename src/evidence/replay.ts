/** Replay: run the bundle's selection, options and seed again and compare each requirement's outcome. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../kit/check.js';
import { run, type RunOptions } from '../runner/run.js';
import type { RunReport, Status } from '../runner/result.js';
import { FILES, type BundleManifest } from './bundle.js';

export interface ReplayOptions {
  /** The checks to replay with (the CLI passes suites/index.ts's CHECKS). */
  checks: RunOptions['checks'];
  /** Absent: the embedded runtime (only for a bundle made embedded). */
  url?: string;
  token?: string;
  adminHeaders?: Record<string, string>;
  /** Embedded only: faults injected on top of the bundle's own. */
  faults?: string[];
}

export interface Replay {
  report: RunReport;
  differences: { id: string; was: Status | 'absent'; now: Status | 'absent' }[];
  verdict: { was: RunReport['verdict']; now: RunReport['verdict'] };
}

export async function replayBundle(dir: string, recorded: RunReport, m: BundleManifest, opts: ReplayOptions): Promise<Replay> {
  if (opts.url === undefined && !m.target.embedded) throw new ToolError(`the bundle tested ${m.target.url}: give --replay URL (and its credentials)`, 2);
  const r = m.run;
  const target = join(dir, FILES.target);
  const report = await run({
    checks: opts.checks,
    url: opts.url,
    token: opts.token,
    adminHeaders: opts.adminHeaders,
    profile: r.profile,
    safety: r.safety as RunReport['safety'],
    strict: r.strict,
    seed: r.seed,
    only: r.only,
    exclude: r.exclude,
    concurrency: r.concurrency,
    timeoutMs: r.timeoutMs,
    faults: opts.url === undefined ? [...r.faults, ...(opts.faults ?? [])] : opts.faults,
    domain: r.domain as RunOptions['domain'],
    fuzz: r.fuzz,
    waitRetryAfter: r.waitRetryAfter,
    shard: r.shard,
    ...(r.targetFile && existsSync(target) ? { targetFile: target } : {}),
  });
  const before = new Map(recorded.results.map((x) => [x.id, x.status]));
  const after = new Map(report.results.map((x) => [x.id, x.status]));
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const differences = ids.filter((id) => before.get(id) !== after.get(id)).map((id) => ({ id, was: before.get(id) ?? 'absent', now: after.get(id) ?? 'absent' }) as const);
  return { report, differences, verdict: { was: recorded.verdict, now: report.verdict } };
}
