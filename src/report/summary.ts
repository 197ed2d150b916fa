/** Wording shared by the console and markdown summaries, so both say the same thing. */
import type { CheckResult, GateStepOutcome, RunReport, Status } from '../runner/result.js';
import { reportVerdict } from '../runner/verdict.js';
import { hasRequirement, requirement } from '../protocol/requirements.js';
import { displayLine } from './text.js';

/** Reporters word the verdict as verdictOf decides it (src/runner/verdict.ts). */
export { reportVerdict };

const COUNT_WORDS: [Status, string][] = [
  ['pass', 'passed'],
  ['fail', 'failed'],
  ['warn', 'warned'],
  ['skip', 'skipped'],
  ['blocked', 'blocked'],
  ['error', 'errored'],
];

/** The passes that carry parts of the check that did not run. */
export function partialPasses(results: readonly CheckResult[]): CheckResult[] {
  return results.filter((r) => r.status === 'pass' && (r.partial?.length ?? 0) > 0);
}

/**
 * "40 checks: 30 passed (2 partial), 2 failed, …, 12 held back" (zero counts other than passed are left out;
 * partial passes are counted among the passes and named, since they passed only on the evidence they had).
 */
export function countsLine(report: RunReport): string {
  const s = report.summary;
  const partial = partialPasses(report.results).length;
  const parts = COUNT_WORDS.filter(([st]) => st === 'pass' || s[st] > 0).map(([st, w]) => `${s[st]} ${w}${st === 'pass' && partial > 0 ? ` (${partial} partial)` : ''}`);
  if (s.heldBack > 0) parts.push(`${s.heldBack} held back`);
  return `${plural(s.total, 'check')}: ${parts.join(', ')}`;
}

/** "1 check", "2 checks". */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The closing line without colour: counts, duration, seed, verdict. */
export function verdictLine(report: RunReport): string {
  return `${countsLine(report)} · ${formatDuration(report.durationMs)} · seed ${report.seed} · ${reportVerdict(report).text}`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Held-back checks as skipped results, so JUnit dashboards and the HTML report show what a wider --safety would add. */
export function heldBackResults(report: RunReport): CheckResult[] {
  const flag = report.heldBack.flag;
  return report.heldBack.ids.filter(hasRequirement).map((id) => {
    const req = requirement(id);
    return {
      id,
      level: req.level,
      layer: req.layer,
      title: req.title,
      safety: report.safety,
      status: 'skip',
      message: `held back by --safety ${report.safety}${flag ? `; allow with ${flag}` : ''}`,
      durationMs: 0,
    };
  });
}


/**
 * What did not run and what would make it run, told once: the held-back checks with the flags they need,
 * then the skipped checks grouped by reason (a run with only --token skips two dozen for one reason).
 */
/**
 * What would make `count` checks run, as a clause of a "Not run" line, from a hint in the one grammar of
 * RunHint (src/kit/check.ts): a flag is added, another check is seen, an instruction is followed.
 */
export function howToRun(hint: string, count: number): string {
  if (hint.startsWith('see ')) return hint;
  const them = count === 1 ? 'it' : 'them';
  return hint.startsWith('--') ? `to run ${them}, add ${hint}` : `to run ${them}, ${hint}`;
}

export function notRunLines(report: RunReport): string[] {
  const lines: string[] = [];
  const held = report.heldBack;
  if (held.ids.length > 0) lines.push(`${plural(held.ids.length, 'check')} held back by --safety ${report.safety}${held.flag ? `; ${howToRun(held.flag, held.ids.length)}` : ''}: ${held.ids.join(', ')}`);
  const reasons = new Map<string, { why: string; hint?: string; ids: string[] }>();
  for (const r of report.results) {
    if (r.status !== 'skip') continue;
    // One line per group whatever the reason says: a code with a newline in it must not forge a line of its own.
    const why = displayLine(r.message ?? 'skipped');
    const key = `${why}\u0000${r.hint ?? ''}`;
    const group = reasons.get(key) ?? { why, ...(r.hint ? { hint: displayLine(r.hint) } : {}), ids: [] };
    group.ids.push(r.id);
    reasons.set(key, group);
  }
  for (const { why, hint, ids } of reasons.values()) {
    lines.push(`${plural(ids.length, 'check')} skipped: ${why}${hint ? `; ${howToRun(hint, ids.length)}` : ''}: ${ids.join(', ')}`);
  }
  return lines;
}

/**
 * Where a reader finds the findings of a gate step that failed, in a report that carries only the step's
 * outcome (shards merged: only the outcome travels in report.json); undefined for a step that did not fail.
 */
export function gateStepFindings(step: GateStepOutcome): string | undefined {
  return step.status === 'fail' || step.status === 'error' ? 'its findings are in the gate.md and report.sarif of the run that scanned' : undefined;
}
