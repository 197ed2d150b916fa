/** Replay: run the bundle's selection, options and seed again and compare each requirement's outcome. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ToolError } from '../kit/check.js';
import { run, type RunOptions } from '../runner/run.js';
import type { RunReport, Status } from '../runner/result.js';
import { BUNDLE_PATHS, pickPaths } from '../runner/options.js';
import { FILES, type BundleManifest, type RunRecord } from './bundle.js';

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
  const target = join(dir, FILES.target);
  // Only what the table records is read back: a bundle cannot smuggle in other run options.
  const again: RunRecord = pickPaths(m.run, BUNDLE_PATHS);
  const report = await run({
    checks: opts.checks,
    url: opts.url,
    token: opts.token,
    adminHeaders: opts.adminHeaders,
    ...again,
    // The bundle's faults stay when replaying embedded; against a url only the ones given now apply.
    faults: opts.url === undefined ? [...(again.faults ?? []), ...(opts.faults ?? [])] : opts.faults,
    // The target file travels inside the bundle, as target.yaml.
    targetFile: again.targetFile && existsSync(target) ? target : undefined,
  });
  const before = new Map(recorded.results.map((x) => [x.id, x.status]));
  const after = new Map(report.results.map((x) => [x.id, x.status]));
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const differences = ids.filter((id) => before.get(id) !== after.get(id)).map((id) => ({ id, was: before.get(id) ?? 'absent', now: after.get(id) ?? 'absent' }) as const);
  return { report, differences, verdict: { was: recorded.verdict, now: report.verdict } };
}
