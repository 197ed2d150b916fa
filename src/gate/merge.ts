/**
 * `merge`: shard reports (report.json of `--shard i/n` runs) combined into the report of the whole run,
 * its summary and verdict computed over every result. Reports of different profiles, tool versions, seeds,
 * targets or settings are refused, and so are incomplete or overlapping shard sets.
 */
import { SAFETY_CLASSES, ToolError, type Safety } from '../kit/check.js';
import { loadProfile } from '../runner/profiles.js';
import type { RunReport } from '../runner/result.js';
import { summarize, verdictOf } from '../runner/run.js';
import { requirement } from '../protocol/requirements.js';
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
  ['safety', (r) => r.safety],
  ['strict', (r) => r.strict],
];

export function mergeReports(reports: readonly RunReport[], files: readonly string[] = reports.map((_, i) => `report #${i + 1}`)): RunReport {
  if (reports.length === 0) throw new ToolError('merge needs at least one report.json', 2);
  const first = reports[0]!;
  reports.forEach((r, i) => {
    for (const [what, get] of SAME) {
      if (get(r) !== get(first)) throw new ToolError(`${files[i]}: ${what} ${JSON.stringify(get(r))} differs from ${files[0]} (${JSON.stringify(get(first))}); only shards of one run can be merged`, 2);
    }
  });
  const shards = reports.map((r) => r.shard);
  if (shards.some((s) => s)) {
    const count = first.shard?.count;
    const seen = new Set<number>();
    reports.forEach((r, i) => {
      if (!r.shard || r.shard.count !== count) throw new ToolError(`${files[i]}: ${r.shard ? `shard ${r.shard.index}/${r.shard.count}` : 'not a shard'}; expected shards of ${count}`, 2);
      if (seen.has(r.shard.index)) throw new ToolError(`${files[i]}: shard ${r.shard.index}/${count} is given twice`, 2);
      seen.add(r.shard.index);
    });
    const missing = Array.from({ length: count! }, (_, k) => k + 1).filter((k) => !seen.has(k));
    if (missing.length > 0) throw new ToolError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${count}`).join(', ')}; the verdict needs every shard`, 2);
  }

  const order = new Map(loadProfile(first.profile).requirements.map((r, i) => [r.id, i]));
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
  const flag = flags.sort((a, b) => SAFETY_CLASSES.indexOf(b.split(' ')[1] as Safety) - SAFETY_CLASSES.indexOf(a.split(' ')[1] as Safety))[0];
  const { verdict, exitCode } = verdictOf(results, first.strict, heldBackIds.map((id) => requirement(id)));
  const startedAt = reports.map((r) => r.startedAt).sort()[0]!;
  const finishedAt = reports.map((r) => r.finishedAt).sort().at(-1)!;
  const { shard: _shard, ...rest } = first;
  return {
    ...rest,
    startedAt,
    finishedAt,
    durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    summary: summarize(results, heldBackIds.length),
    heldBack: { ids: heldBackIds, ...(flag ? { flag } : {}) },
    verdict,
    exitCode,
    results,
    cleanup: { revoked: reports.flatMap((r) => r.cleanup.revoked), failed: reports.flatMap((r) => r.cleanup.failed) },
  };
}
