/**
 * The baseline of known failures (openport-baseline.yaml). A baselined failure does not fail the gate; an
 * unlisted one does; an entry whose checks now pass is stale and fails the gate; an expired entry stops
 * suppressing. Entries pin what failed by a fingerprint, so a different failure of the same check is not
 * hidden.
 */
import { yaml } from '../kit/lazy.js';
import { ToolError } from '../kit/check.js';
import { fingerprintOf } from '../runner/fingerprint.js';
import { nearest } from '../runner/profiles.js';
import { shardOf, type Shard } from '../runner/selection.js';
import type { CheckResult, Status } from '../runner/result.js';
import { REQUIREMENTS } from '../protocol/requirements.js';
import { readValidated } from './config.js';
import { legacyFingerprint, legacyFingerprints } from './legacy-fingerprint.js';
import { checkTreeEntries, isPlaceholderReason, type TreeBaselineEntry } from './tree-allow.js';

export { fingerprintOf };

export type Expect = 'fail' | 'warn' | 'blocked';
const BASELINABLE: readonly Status[] = ['fail', 'warn', 'blocked'];

export interface BaselineEntry {
  id: string;
  expect: Expect;
  fingerprint?: string;
  reason: string;
  link?: string;
  /** YYYY-MM-DD: from this day on the entry no longer suppresses. */
  expires?: string;
}

export interface Baseline {
  entries: BaselineEntry[];
  /** Accepted release-tree findings (the release-tree scan applies them); absent: none. */
  tree?: TreeBaselineEntry[];
}

export interface BaselineOutcome {
  /** The results, with `suppression` set on every baselined failure. */
  results: CheckResult[];
  suppressed: number;
  /** Entries whose checks ran and now pass: remove them (they fail the gate). */
  stale: BaselineEntry[];
  /** Entries past their expiry date: they suppress nothing. */
  expired: BaselineEntry[];
  /** Entries that matched no result (not selected, not run, or a different failure). */
  unmatched: BaselineEntry[];
  /** In a --shard run: entries that matched nothing here and name a requirement another shard runs (that shard judges them). */
  otherShards: BaselineEntry[];
  /** Failures no entry accepts. */
  unlisted: CheckResult[];
  /** Entries that matched by a fingerprint of the earlier, prose-based computation: `baseline update` migrates them. */
  legacy: BaselineEntry[];
}

export const PLACEHOLDER_REASON = 'TODO: say why this failure is accepted (added by `openport-conform baseline update`)';

function isGlob(id: string): boolean {
  return /[*?]/.test(id);
}

function globRe(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
}

function matchesId(entry: BaselineEntry, id: string): boolean {
  return isGlob(entry.id) ? globRe(entry.id).test(id) : entry.id.toUpperCase() === id.toUpperCase();
}

/**
 * Reads and checks a baseline. The gate refuses an entry whose reason is a placeholder (the TODO `baseline
 * update` writes): an accepted failure nobody explained is not accepted. `baseline update` itself reads
 * its own placeholders back (`placeholders: true`) to keep the entries while they wait for a reason.
 */
export function loadBaseline(file: string, opts: { placeholders?: boolean } = {}): Baseline {
  const b = readValidated<Baseline>(file, 'baseline', 'baseline');
  // A baseline may hold only tree entries.
  b.entries ??= [];
  if (b.tree) checkTreeEntries(b.tree, file);
  const ids = REQUIREMENTS.map((r) => r.id);
  b.entries.forEach((e, i) => {
    if (!ids.some((id) => matchesId(e, id))) {
      throw new ToolError(`invalid baseline ${file}: /entries/${i}/id "${e.id}" matches no requirement id; nearest: ${nearest(e.id.replace(/[*?]/g, ''), ids).join(', ')}`, 2);
    }
    if (!opts.placeholders && isPlaceholderReason(e.reason)) {
      throw new ToolError(`invalid baseline ${file}: /entries/${i}/reason "${e.reason.slice(0, 40)}" is a placeholder; say why ${e.id} is accepted (a known defect and its ticket, a check that does not apply here, …)`, 2);
    }
    if (e.expires !== undefined && Number.isNaN(Date.parse(e.expires))) throw new ToolError(`invalid baseline ${file}: /entries/${i}/expires "${e.expires}" is not a date (YYYY-MM-DD)`, 2);
  });
  return b;
}

function isExpired(e: BaselineEntry, today: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires) <= today.getTime();
}

/** A failure's fingerprint, and those an earlier baseline may hold for it (migration only). */
interface Prints { fp: string; legacy: string[] }

const printsOf = (r: CheckResult): Prints => ({ fp: fingerprintOf(r), legacy: legacyFingerprints(r) });

const isLegacy = (fingerprint: string | undefined, p: Prints) => fingerprint !== undefined && fingerprint !== p.fp && p.legacy.includes(fingerprint);

/** Whether `e` accepts `r`: 'current' by its fingerprint (or none), 'legacy' by an old computation's. */
function acceptance(e: BaselineEntry, r: CheckResult, p: Prints): 'current' | 'legacy' | undefined {
  if (!matchesId(e, r.id) || e.expect !== r.status) return undefined;
  if (e.fingerprint === undefined || e.fingerprint === p.fp) return 'current';
  return isLegacy(e.fingerprint, p) ? 'legacy' : undefined;
}

/** A --shard run: which shard, and the requirement ids of the profile the shards split. */
export interface ShardScope extends Shard { profile: readonly string[] }

/**
 * The baseline applied to a run's results. In a shard (`shard`), an entry naming a requirement of another
 * shard that matched nothing here is that shard's to judge: neither stale nor unmatched here.
 */
export function applyBaseline(results: readonly CheckResult[], baseline: Baseline, today = new Date(), shard?: ShardScope): BaselineOutcome {
  const live = baseline.entries.filter((e) => !isExpired(e, today));
  const used = new Set<BaselineEntry>();
  const legacy = new Set<BaselineEntry>();
  const unlisted: CheckResult[] = [];
  const out = results.map((r) => {
    if (!BASELINABLE.includes(r.status)) return r;
    const p = printsOf(r);
    // An exact id entry is more specific than a glob that also matches.
    const entry = live.find((e) => !isGlob(e.id) && acceptance(e, r, p)) ?? live.find((e) => acceptance(e, r, p));
    if (!entry) {
      unlisted.push(r);
      return r;
    }
    used.add(entry);
    if (acceptance(entry, r, p) === 'legacy') legacy.add(entry);
    return { ...r, suppression: { justification: entry.reason, ...(entry.link ? { link: entry.link } : {}), fingerprint: p.fp } };
  });
  const stale: BaselineEntry[] = [];
  const unmatched: BaselineEntry[] = [];
  const otherShards: BaselineEntry[] = [];
  const elsewhere = (e: BaselineEntry) => shard !== undefined && shard.profile.some((id) => matchesId(e, id) && shardOf(id, shard.count) !== shard.index);
  for (const e of live) {
    if (used.has(e)) continue;
    if (elsewhere(e)) {
      otherShards.push(e);
      continue;
    }
    const mine = results.filter((r) => matchesId(e, r.id));
    // A glob is stale only when none of its checks fails any more; an exact entry when its check passes.
    const nowPasses = mine.some((r) => r.status === 'pass') && !mine.some((r) => BASELINABLE.includes(r.status));
    (nowPasses ? stale : unmatched).push(e);
  }
  return {
    results: out,
    suppressed: out.filter((r) => r.suppression).length,
    stale,
    expired: baseline.entries.filter((e) => isExpired(e, today)),
    unmatched,
    otherShards,
    unlisted,
    legacy: [...legacy],
  };
}

/**
 * What `baseline update` wrote, how many entries it moved from an old-style fingerprint to the current one,
 * and the ids of the entries it kept because the run evaluated none of their checks.
 */
export interface BaselineUpdate { baseline: Baseline; migrated: number; untouched: string[] }

/**
 * The baseline a run calls for: one exact entry per failure (fingerprint refreshed), keeping the reason,
 * link and expiry of the entry that covered it before; glob entries that still match a failure stay as they
 * are (an old-style fingerprint on one is rewritten); entries whose checks now pass are dropped. An entry
 * none of whose checks this run evaluated (outside --only/--shard, held back by --safety, skipped, in error)
 * stays as it is: nothing shows it stale, and its reason was written by hand. `migrated` counts the entries
 * whose fingerprint was of an earlier computation (from the prose, or a generated request's concrete route).
 */
export function updateBaseline(results: readonly CheckResult[], previous: Baseline | undefined): BaselineUpdate {
  const old = previous?.entries ?? [];
  const evaluated = results.filter((r) => r.status === 'pass' || BASELINABLE.includes(r.status)).map((r) => r.id);
  const untouched = new Set(old.filter((e) => !evaluated.some((id) => matchesId(e, id))));
  const entries: BaselineEntry[] = [];
  const keptGlobs = new Map<BaselineEntry, BaselineEntry>();
  let migrated = 0;
  for (const r of results) {
    if (!BASELINABLE.includes(r.status)) continue;
    // A failure read from an earlier version's report.json (--from) carries no finding data: its fingerprint
    // can only be the old one, which the migration path still accepts until a run refreshes it.
    const prints = printsOf(r);
    const p = (r.status === 'fail' || r.status === 'warn') && !r.finding ? { ...prints, fp: legacyFingerprint(r) } : prints;
    const exact = old.find((e) => !isGlob(e.id) && matchesId(e, r.id));
    const glob = old.find((e) => isGlob(e.id) && acceptance(e, r, p));
    if (!exact && glob) {
      if (!keptGlobs.has(glob)) {
        const legacy = acceptance(glob, r, p) === 'legacy';
        if (legacy) migrated++;
        keptGlobs.set(glob, legacy ? { ...glob, fingerprint: p.fp } : glob);
      }
      continue;
    }
    if (exact && isLegacy(exact.fingerprint, p)) migrated++;
    entries.push({
      id: r.id,
      expect: r.status as Expect,
      fingerprint: p.fp,
      reason: exact?.reason ?? PLACEHOLDER_REASON,
      ...(exact?.link ? { link: exact.link } : {}),
      ...(exact?.expires ? { expires: exact.expires } : {}),
    });
  }
  return { baseline: { entries: [...old.filter((e) => keptGlobs.has(e) || untouched.has(e)).map((e) => keptGlobs.get(e) ?? e), ...entries] }, migrated, untouched: old.filter((e) => untouched.has(e)).map((e) => e.id) };
}

export function renderBaseline(b: Baseline): string {
  const header = [
    '# openport-conform baseline of known failures (schema: fixtures/schemas/baseline.schema.json).',
    '# Each entry accepts one failure: id (or glob), expect fail|warn|blocked, fingerprint (what failed),',
    '# reason (required), link, expires (YYYY-MM-DD). Refresh with `openport-conform baseline update`.',
  ];
  return `${header.join('\n')}\n${yaml().stringify(b, { lineWidth: 0 })}`;
}
