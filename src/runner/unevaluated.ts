/**
 * The report of a run that stopped before its first check (target unreachable or not OpenPort, admin
 * credentials refused): still a RunReport, so every requested report file is written and a CI upload
 * step finds it.
 */
import type { ToolError } from '../kit/check.js';
import { TOOL_VERSION } from '../kit/paths.js';
import type { CheckResult, RunReport } from './result.js';
import type { RunOptions } from './run.js';
import { summarize } from './runner.js';
import { withDescription } from './target-file.js';
import { verdictOf } from './verdict.js';

export function unevaluatedReport(opts: RunOptions, err: ToolError, startedAt: Date): RunReport {
  return { ...skeleton(opts, startedAt), toolError: err.message, toolErrorCode: err.code };
}

/** What the run stands on while it runs, as report.json holds it then. */
export const IN_PROGRESS = 'interrupted: the run was still in progress when this report was written';

/**
 * The report of a run still in progress, with the results so far: report.json is rewritten with it as
 * results come, so a job killed before the run ends still leaves its evidence (the final report replaces it).
 */
export function inProgressReport(opts: RunOptions, startedAt: Date, results: readonly CheckResult[]): RunReport {
  const base = skeleton(opts, startedAt);
  const { verdict, exitCode } = verdictOf(results, { heldBack: [], interrupted: IN_PROGRESS }, { name: base.profile, strict: base.strict, safety: base.safety });
  // Its cleanup has not run: should this be the last report written (the process killed), the apps it created
  // are still active, and this is where they are named.
  const cleanup = opts.marker === undefined ? base.cleanup : { revoked: [], failed: [`not cleaned up yet: the apps this run created (named "… ${opts.marker}") are active until it ends; if it never did, revoke them by hand`] };
  return { ...base, summary: summarize([...results], 0), verdict, exitCode, results: [...results], stopped: IN_PROGRESS, cleanup };
}

function skeleton(opts: RunOptions, startedAt: Date): RunReport {
  const embedded = opts.url === undefined;
  return {
    tool: { name: 'openport-conform', version: TOOL_VERSION },
    target: { url: embedded ? 'embedded:' : opts.url!, embedded, faults: [...(opts.faults ?? [])], ...withDescription(opts.targetFile) },
    profile: opts.profile ?? 'core',
    safety: opts.safety ?? (embedded ? 'load' : 'read-only'),
    strict: opts.strict ?? false,
    seed: opts.seed ?? 0,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: 0, heldBack: 0 },
    heldBack: { ids: [] },
    verdict: 'incomplete',
    exitCode: 3,
    results: [],
    cleanup: { revoked: [], failed: [] },
    // A shard says so from its first report: merge then names it as the shard that did not finish.
    ...(opts.shard ? { shard: opts.shard } : {}),
  };
}
