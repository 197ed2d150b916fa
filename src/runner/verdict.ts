/**
 * The one verdict function. run, gate, merge, certify, verify and every reporter ask verdictOf (or
 * reportVerdict, the same over a RunReport), so a run, its shards merged, the gate that ran it and the
 * bundle that records it cannot disagree about what the results mean, nor word it differently.
 */
import { hasRequirement, requirement, type Level } from '../protocol/requirements.js';
import type { Safety } from '../kit/check.js';
import type { CheckResult, RunReport, Verdict } from './result.js';

/** The words every reporter prints for a verdict. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  conformant: 'CONFORMANT',
  'not-conformant': 'NOT CONFORMANT',
  incomplete: 'INCOMPLETE (could not evaluate)',
  'selection-passed': 'SELECTION PASSED (a subset: no profile verdict)',
};

/** What the results are about, next to the profile. */
export interface VerdictSelection {
  /**
   * Why the results cover only part of the profile: --only/--exclude narrowed it, or it is one shard. A part
   * that passed proves the part, never the profile.
   */
  subset?: 'only-exclude' | 'shard';
  /** Requirements of the selection held back by --safety (not run). */
  heldBack: readonly { id: string; level: Level }[];
  /** Checks of another binding's requirements (skipped): outside the verdict. */
  notApplicable?: readonly string[];
  /** Why the run stopped before (some of) its checks: the verdict can only be incomplete. */
  stopped?: string;
}

/** The profile the results are judged against, and how. */
export interface VerdictProfile {
  name: string;
  /** --strict: a SHOULD that warned fails the verdict. */
  strict: boolean;
  safety: Safety;
  /**
   * 'run' (default): every failure counts and a held-back MUST leaves the verdict incomplete. 'gate': the
   * release gate's reading at its declared safety: baselined failures are accepted, held-back checks are
   * outside it.
   */
  judge?: 'run' | 'gate';
}

export interface VerdictOutcome {
  verdict: Verdict;
  exitCode: 0 | 1 | 3;
  /** The results are a selection (a subset of the profile): never a profile verdict. */
  selection: boolean;
  /** The words a reporter prints. */
  text: string;
  /** For a verdict other than conformant or selection-passed: why, in a phrase. */
  reason?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * not-conformant (exit 1): a MUST failed, or a SHOULD warned under strict. incomplete (exit 3): the run
 * stopped, nothing ran, or a MUST could not be evaluated (skip, blocked, error, no check, held back) — a
 * vacuous pass is never 0. Otherwise conformant (exit 0), or selection-passed (exit 0) for a subset.
 */
export function verdictOf(results: readonly CheckResult[], selection: VerdictSelection, profile: VerdictProfile): VerdictOutcome {
  const gate = profile.judge === 'gate';
  const outside = new Set(selection.notApplicable ?? []);
  const inScope = results.filter((r) => !outside.has(r.id));
  // The gate accepts what its baseline accepts; every report still shows the result's own status.
  const judged = gate ? inScope.map((r) => (r.suppression ? { ...r, status: 'pass' as const } : r)) : inScope;
  const heldBack = gate ? [] : selection.heldBack;
  const subset = selection.subset !== undefined;
  // A subset is labelled one whatever its verdict (selection-passed says so itself).
  const part = selection.subset === 'shard' ? ' (one shard of the profile)' : selection.subset ? ' (a selection of the profile)' : '';
  const done = (verdict: Verdict, exitCode: 0 | 1 | 3, reason?: string): VerdictOutcome => ({
    verdict,
    exitCode,
    selection: subset,
    text: VERDICT_TEXT[verdict] + (verdict === 'selection-passed' ? '' : part) + (exitCode === 0 && gate ? gateTerms(inScope, selection, profile) : ''),
    ...(reason !== undefined ? { reason } : {}),
  });

  const failed = judged.filter((r) => r.status === 'fail' || (profile.strict && r.status === 'warn'));
  if (failed.length > 0) return done('not-conformant', 1, `${failed.map((r) => r.id).join(', ')} failed`);
  if (selection.stopped !== undefined) return done('incomplete', 3, selection.stopped);
  const ran = judged.some((r) => r.status === 'pass' || r.status === 'warn');
  if (!ran) return done('incomplete', 3, 'nothing was evaluated');
  const mustNotPassed = judged.some((r) => r.level === 'MUST' && r.status !== 'pass') || heldBack.some((r) => r.level === 'MUST');
  if (mustNotPassed) return done('incomplete', 3, 'a MUST check did not run or could not be evaluated');
  return done(subset ? 'selection-passed' : 'conformant', 0);
}

/** What a passing gate verdict rests on besides passed checks: accepted failures, checks above its safety. */
function gateTerms(results: readonly CheckResult[], selection: VerdictSelection, profile: VerdictProfile): string {
  const terms: string[] = [];
  const baselined = results.filter((r) => r.suppression && r.status !== 'pass').length;
  if (baselined > 0) terms.push(`${plural(baselined, 'failure')} accepted by the baseline`);
  if (selection.heldBack.length > 0) terms.push(`${plural(selection.heldBack.length, 'check')} above safety ${profile.safety} not judged`);
  return terms.length > 0 ? ` · release gate: ${terms.join(', ')}` : '';
}

/** The selection a report's results stand for: its --only/--exclude or shard, held-back and inapplicable checks. */
export function selectionOfReport(report: RunReport): VerdictSelection {
  return {
    ...(report.selection ? { subset: 'only-exclude' as const } : report.shard ? { subset: 'shard' as const } : {}),
    heldBack: report.heldBack.ids.map((id) => ({ id, level: hasRequirement(id) ? requirement(id).level : 'MUST' })),
    notApplicable: report.binding?.notApplicable ?? [],
    ...(report.toolError !== undefined ? { stopped: report.toolError } : {}),
  };
}

/** verdictOf over a whole report, as reporters, merge and verify read it. */
export function reportVerdict(report: RunReport): VerdictOutcome {
  return verdictOf(report.results, selectionOfReport(report), {
    name: report.profile,
    strict: report.strict,
    safety: report.safety,
    judge: report.gate ? 'gate' : 'run',
  });
}
