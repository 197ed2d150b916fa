/**
 * `merge`: shard reports (report.json of `--shard i/n` runs) combined into the report of the whole run,
 * its summary and verdict computed over every result. Reports of different profiles, tool versions, seeds,
 * targets or settings are refused, and so are incomplete or overlapping shard sets and shards that lost results.
 */
import { SAFETY_CLASSES, ToolError, type Safety } from '../kit/check.js';
import { loadProfile } from '../runner/profiles.js';
import type { GateStepOutcome, RunReport } from '../runner/result.js';
import { summarize, summaryContradictions } from '../runner/runner.js';
import { unaccounted } from '../runner/selection.js';
import { gateReading, profileVerdict } from '../runner/verdict.js';
import { readValidated } from './config.js';

export function loadReport(file: string): RunReport {
  return readValidated<RunReport>(file, 'report', 'report');
}

const SAME: [string, (r: RunReport) => unknown][] = [
  ['profile', (r) => r.profile],
  ['tool version', (r) => r.tool.version],
  ['seed', (r) => r.seed],
  ['target', (r) => r.target.url],
  ['faults', (r) => r.target.faults.join(',')],
  ['domain', (r) => r.target.domain ?? 'demo'],
  ['target description (--target)', (r) => r.target.description ?? 'none'],
  ['safety', (r) => r.safety],
  ['strict', (r) => r.strict],
  ['binding', (r) => r.binding?.name ?? 'http'],
  // A gate's report is judged as the gate judges (baseline accepted, held-back outside): never mixed with a run's.
  ['judgement', (r) => (r.gate ? 'gate' : 'run')],
  // Shards judged against different baselines accept different failures: no one gate verdict covers them.
  ['baseline', (r) => r.gate?.baseline ?? null],
];

export function mergeReports(reports: readonly RunReport[], files: readonly string[] = reports.map((_, i) => `report #${i + 1}`)): RunReport {
  if (reports.length === 0) throw new ToolError('merge needs at least one report.json', 2);
  const first = reports[0]!;
  reports.forEach((r, i) => {
    for (const [what, get] of SAME) {
      if (get(r) !== get(first)) {
        // A run picks a random seed unless given one (gate fixes it): the shards of one run share the seed they were given.
        const fix = what === 'seed' || what === 'baseline' ? ` (give every shard the same --${what})` : '';
        throw new ToolError(`${files[i]}: ${what} ${JSON.stringify(get(r))} differs from ${files[0]} (${JSON.stringify(get(first))}); only shards of one run can be merged${fix}`, 2);
      }
    }
  });
  const shards = reports.map((r) => r.shard);
  if (shards.some((s) => s)) {
    const count = first.shard?.count;
    const seen = new Set<number>();
    reports.forEach((r, i) => {
      if (!r.shard || r.shard.count !== count) {
        const [odd, other] = count === undefined ? [0, reports.findIndex((x) => x.shard)] : [i, 0];
        const what = (k: number) => (reports[k]!.shard ? `shard ${reports[k]!.shard!.index}/${reports[k]!.shard!.count}` : 'not a shard (run without --shard)');
        throw new ToolError(`${files[odd]}: ${what(odd)}, but ${files[other]}: ${what(other)}; merge combines the shards of one --shard i/n run`, 2);
      }
      if (seen.has(r.shard.index)) throw new ToolError(`${files[i]}: shard ${r.shard.index}/${count} is given twice`, 2);
      seen.add(r.shard.index);
    });
    const missing = Array.from({ length: count! }, (_, k) => k + 1).filter((k) => !seen.has(k));
    if (missing.length > 0) throw new ToolError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}; the verdict needs every shard`, 2);
  }

  // A shard whose part of the profile --only/--exclude kept whole records no selection; the others must agree.
  const patterns = reports.filter((r) => r.selection).map((r) => JSON.stringify([r.selection!.only, r.selection!.exclude]));
  if (new Set(patterns).size > 1) throw new ToolError(`the shards were run with different --only/--exclude (${[...new Set(patterns)].join(' vs ')}); only shards of one run can be merged`, 2);

  const profile = loadProfile(first.profile).requirements;
  reports.forEach((r, i) => complete(r, files[i]!, profile.map((p) => p.id)));
  const order = new Map(profile.map((r, i) => [r.id, i]));
  const byId = new Map<string, number>();
  const results = reports.flatMap((r, i) =>
    r.results.map((res) => {
      if (byId.has(res.id)) throw new ToolError(`${files[i]}: ${res.id} is also in ${files[byId.get(res.id)!]}; shards must not overlap`, 2);
      byId.set(res.id, i);
      return res;
    }),
  );
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  results.sort((a, b) => rank(a.id) - rank(b.id));
  const heldBackIds = [...new Set(reports.flatMap((r) => r.heldBack.ids))].sort((a, b) => rank(a) - rank(b));
  // The flag that allows every held-back check is the most permissive one any shard asked for.
  const flags = reports.map((r) => r.heldBack.flag).filter((f): f is string => !!f);
  const safetyOf = (f: string) => SAFETY_CLASSES.indexOf(/--safety (\S+)$/.exec(f)?.[1] as Safety);
  const flag = flags.sort((a, b) => safetyOf(b) - safetyOf(a))[0];
  const startedAt = reports.map((r) => r.startedAt).sort()[0]!;
  const finishedAt = reports.map((r) => r.finishedAt).sort().at(-1)!;
  const { shard: _shard, selection: _selection, binding, toolError: _error, toolErrorCode: _code, stopped: _stopped, gate, ...rest } = first;
  const union = (ids: (r: RunReport) => readonly string[] | undefined) => [...new Set(reports.flatMap((r) => ids(r) ?? []))].sort((a, b) => rank(a) - rank(b));
  // What the pieces selected together (run or held back) is a selection only when it is less than the profile.
  const selected = union((r) => [...r.results.map((x) => x.id), ...r.heldBack.ids]);
  const selection = reports.find((r) => r.selection)?.selection;
  const stopped = reports.find((r) => r.toolError !== undefined);
  const merged: RunReport = {
    ...rest,
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    summary: summarize(results, heldBackIds.length),
    heldBack: { ids: heldBackIds, ...(flag ? { flag } : {}) },
    ...(selection && selected.length < profile.length ? { selection: { only: selection.only, exclude: selection.exclude, ids: selected } } : {}),
    ...(binding ? { binding: { ...binding, notApplicable: union((r) => r.binding?.notApplicable) } } : {}),
    // One shard that could not be evaluated leaves the whole incomplete.
    ...(stopped ? { toolError: reports.filter((r) => r.toolError !== undefined).map((r) => r.toolError).join('; '), ...(stopped.toolErrorCode ? { toolErrorCode: stopped.toolErrorCode } : {}) } : {}),
    // So does one that was interrupted, or is still running (a job killed outright), whichever shard it is.
    ...(reports.some((r) => r.stopped !== undefined) ? { stopped: [...new Set(reports.filter((r) => r.stopped !== undefined).map((r) => r.stopped))].join('; ') } : {}),
    results,
    cleanup: { revoked: reports.flatMap((r) => r.cleanup.revoked), failed: reports.flatMap((r) => r.cleanup.failed) },
  };
  // The same two readings the gate gives one report: the profile verdict, and the gate's over every shard.
  const { verdict, exitCode } = profileVerdict(merged);
  return { ...merged, verdict, exitCode, ...(gate ? { gate: gateReading(merged, gate.baseline, mergedSteps(reports)) } : {}) };
}

/**
 * A shard that lost results is refused, not merged into a verdict over less than it claims: it holds a result
 * (or a held-back id) for every requirement of the profile or its selection that hashes to it, and its
 * summary counts its results. A run that stopped (toolError, stopped) holds fewer, and says so.
 */
function complete(r: RunReport, file: string, profile: readonly string[]): void {
  // A shard that stopped (could not evaluate, interrupted, killed while running) says so: the merge is incomplete.
  if (r.toolError !== undefined || r.stopped !== undefined) return;
  const piece = `${r.shard ? `shard ${r.shard.index}/${r.shard.count} of ` : ''}profile ${r.profile}${r.selection ? ' (the selection it names)' : ''}`;
  const { wanted, missing } = unaccounted(r, profile);
  if (missing.length > 0) throw new ToolError(`${file}: ${piece} has ${wanted.length} requirements, but the report holds no result for ${missing.length}: ${missing.join(', ')}; a report that lost results cannot be merged`, 2);
  const wrong = summaryContradictions(r);
  if (wrong.length > 0) throw new ToolError(`${file}: its summary disagrees with its results (${wrong.join('; ')}); a report that does not agree with itself cannot be merged`, 2);
}

const WORST: GateStepOutcome['status'][] = ['skipped', 'pass', 'error', 'fail'];

/** The gate steps besides the profile step over every shard: each step as its worst shard had it (a failed scan in one shard fails the whole). */
function mergedSteps(reports: readonly RunReport[]): GateStepOutcome[] {
  const byName = new Map<string, GateStepOutcome['status']>();
  for (const s of reports.flatMap((r) => r.gate?.steps ?? [])) {
    const seen = byName.get(s.name);
    if (seen === undefined || WORST.indexOf(s.status) > WORST.indexOf(seen)) byName.set(s.name, s.status);
  }
  return [...byName].map(([name, status]) => ({ name, status }));
}
