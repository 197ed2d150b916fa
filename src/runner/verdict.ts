/**
 * The one verdict function. run, gate, merge, certify, verify and every reporter ask verdictOf (or
 * reportVerdict, the same over a RunReport), so a run, its shards merged, the gate that ran it and the
 * bundle that records it cannot disagree about what the results mean, nor word it differently.
 */
import { hasRequirement, requirement, type Level } from '../protocol/requirements.js';
import type { Safety } from '../kit/check.js';
import type { CheckResult, GateStepOutcome, GateVerdict, RunReport, Verdict } from './result.js';

export type { GateStepOutcome, GateVerdict };

/** The words every reporter prints for a verdict. */
export const VERDICT_TEXT: Record<Verdict, string> = {
  conformant: 'CONFORMANT',
  'not-conformant': 'NOT CONFORMANT',
  incomplete: 'INCOMPLETE (could not evaluate)',
  'selection-passed': 'SELECTION PASSED (a subset: no profile verdict)',
};

export const GATE_VERDICT_TEXT: Record<GateVerdict, string> = {
  passed: 'GATE PASSED',
  failed: 'GATE FAILED',
  incomplete: 'GATE INCOMPLETE (could not evaluate)',
  // Worded as `run` words a passing subset: it proves the subset, not the profile.
  'selection-passed': `GATE: ${VERDICT_TEXT['selection-passed']}`,
};

/** The gate's word for the outcome of verdictOf's gate reading. */
export const GATE_VERDICT_OF: Record<Verdict, GateVerdict> = {
  conformant: 'passed',
  'not-conformant': 'failed',
  incomplete: 'incomplete',
  'selection-passed': 'selection-passed',
};

/** What the results are about, next to the profile. */
export interface VerdictSelection {
  /**
   * Why the results cover only part of the profile: --only/--exclude narrowed it, or it is one shard. A part
   * that passed proves the part, never the profile.
   */
  subset?: 'only-exclude' | 'shard';
  /** The results are one shard of a --shard i/n run (with or without --only/--exclude). */
  shard?: boolean;
  /** Requirements of the selection held back by --safety (not run). */
  heldBack: readonly { id: string; level: Level }[];
  /** Checks of another binding's requirements (skipped): outside the verdict. */
  notApplicable?: readonly string[];
  /** Why the run stopped before (some of) its checks: the verdict can only be incomplete. */
  stopped?: string;
  /**
   * The run was interrupted (a signal, or its --max-time budget), in words starting "interrupted": what it
   * found still fails it, otherwise it is incomplete; either way its verdict says it was interrupted.
   */
  interrupted?: string;
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
const EMPTY_SHARD = 'an empty shard: no check of the profile that applies here hashes to it; merge the shards for the verdict';

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
  const cut = selection.interrupted;
  const done = (verdict: Verdict, exitCode: 0 | 1 | 3, reason?: string): VerdictOutcome => {
    // The gate's reading is worded as the gate's verdict (GATE PASSED …), never as a profile verdict.
    const text = (gate ? GATE_VERDICT_TEXT[GATE_VERDICT_OF[verdict]] : VERDICT_TEXT[verdict]) + (verdict === 'selection-passed' ? '' : part) + (exitCode === 0 && gate ? gateTerms(inScope, selection, profile) : '');
    // An incomplete verdict says why when it is the results' doing (nothing evaluated, a MUST not run), not the tool's.
    const why = cut ?? (verdict === 'incomplete' && selection.stopped === undefined ? reason : undefined);
    const said = why === undefined ? (reason === EMPTY_SHARD ? text.replace(/\)$/, `; ${reason})`) : text) : verdict === 'incomplete' ? text.replace('(could not evaluate)', `(${why})`) : `${text} (${why})`;
    return { verdict, exitCode, selection: subset, text: said, ...(reason !== undefined ? { reason } : {}) };
  };

  const failed = judged.filter((r) => r.status === 'fail' || (profile.strict && r.status === 'warn'));
  if (failed.length > 0) return done('not-conformant', 1, `${failed.map((r) => r.id).join(', ')} failed`);
  if (selection.stopped !== undefined) return done('incomplete', 3, selection.stopped);
  if (cut !== undefined) return done('incomplete', 3, cut);
  const ran = judged.some((r) => r.status === 'pass' || r.status === 'warn');
  // A shard with no check of the profile that applies here has nothing to judge: the merged shards give the verdict.
  if (!ran && selection.shard && inScope.length === 0 && heldBack.length === 0) return done('selection-passed', 0, EMPTY_SHARD);
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
  return terms.length > 0 ? ` (${terms.join(', ')})` : '';
}

/** The selection a report's results stand for: its --only/--exclude or shard, held-back and inapplicable checks. */
export function selectionOfReport(report: RunReport): VerdictSelection {
  return {
    ...(report.selection ? { subset: 'only-exclude' as const } : report.shard ? { subset: 'shard' as const } : {}),
    ...(report.shard ? { shard: true } : {}),
    heldBack: report.heldBack.ids.map((id) => ({ id, level: hasRequirement(id) ? requirement(id).level : 'MUST' })),
    notApplicable: report.binding?.notApplicable ?? [],
    ...(report.toolError !== undefined ? { stopped: report.toolError } : {}),
    ...(report.stopped !== undefined ? { interrupted: report.stopped } : {}),
  };
}

/**
 * The gate's verdict: its reading of the results (undefined: the profile step could not run), and its other
 * steps — one that failed fails the gate, one in error leaves a passing gate incomplete.
 */
export function withGateSteps(reading: VerdictOutcome | undefined, steps: readonly GateStepOutcome[]): VerdictOutcome {
  const named = (status: GateStepOutcome['status']) => steps.filter((s) => s.status === status).map((s) => s.name);
  const failed = named('fail');
  if (failed.length > 0 && reading?.exitCode !== 1) return { verdict: 'not-conformant', exitCode: 1, selection: reading?.selection ?? false, text: GATE_VERDICT_TEXT.failed, reason: `the ${failed.join(', ')} step failed` };
  if (reading === undefined) return { verdict: 'incomplete', exitCode: 3, selection: false, text: GATE_VERDICT_TEXT.incomplete, reason: 'the profile step could not run' };
  const errored = named('error');
  if (errored.length > 0 && reading.exitCode === 0) return { ...reading, verdict: 'incomplete', exitCode: 3, text: GATE_VERDICT_TEXT.incomplete, reason: `the ${errored.join(', ')} step could not be evaluated` };
  return reading;
}

/** verdictOf over a whole report, as reporters, merge and verify read it: for a gate's report, the gate's verdict. */
export function reportVerdict(report: RunReport): VerdictOutcome {
  return report.gate ? gateOutcome(report, report.gate.steps ?? []) : profileVerdict(report);
}

/** The gate's reading of a report's results, with its other steps. */
function gateOutcome(report: RunReport, steps: readonly GateStepOutcome[]): VerdictOutcome {
  const reading = verdictOf(report.results, selectionOfReport(report), { name: report.profile, strict: report.strict, safety: report.safety, judge: 'gate' });
  return withGateSteps(reading, steps);
}

/**
 * The profile verdict of a report as `run` gives it, also for a gate's report: every failure counts
 * (baselined or not) and a MUST held back by the safety leaves it incomplete. A gate's report.json states
 * this as its `verdict` and the gate's reading under `gate`.
 */
export function profileVerdict(report: RunReport): VerdictOutcome {
  return verdictOf(report.results, selectionOfReport(report), { name: report.profile, strict: report.strict, safety: report.safety });
}

/** The `gate` member of a gate's report: the baseline it applied, its other steps, and the gate's verdict. */
export function gateReading(report: RunReport, baseline: string | null, steps: readonly GateStepOutcome[] = []): NonNullable<RunReport['gate']> {
  const v = gateOutcome(report, steps);
  return { baseline, ...(steps.length > 0 ? { steps: [...steps] } : {}), verdict: GATE_VERDICT_OF[v.verdict], exitCode: v.exitCode, text: v.text };
}
