import type { CheckResult, RunReport } from '../runner/result.js';
import { fileReporter } from './file-reporter.js';
import { profileVerdict, VERDICT_TEXT } from '../runner/verdict.js';
import { formatDuration, gateStepFindings, notRunLines, partialPasses, reportVerdict } from './summary.js';
import { displayMarkdown, displayReport, displayText } from './text.js';

const ICON = { conformant: '✅', 'not-conformant': '❌', incomplete: '⚠️', 'selection-passed': '☑️' } as const;
const FAILING: CheckResult['status'][] = ['fail', 'error', 'blocked', 'warn'];

/** Table cells and list items: Markdown-safe text (displayMarkdown) on one row, its line breaks as <br>. */
export function cell(s: string | undefined): string {
  return displayMarkdown((s ?? '').replace(/\r\n?/g, '\n')).replace(/\n/g, '<br>');
}

/** Inline code: entities would show literally inside a code span, so only backticks, newlines and controls go. */
function code(s: string): string {
  return `\`${displayText(s).replace(/[`\r\n]/g, ' ')}\``;
}

/** A fence longer than any backtick run inside, so hostile reproduce lines cannot close it. */
function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}sh\n${displayText(text)}\n${fence}`;
}

/** summary.md, written for $GITHUB_STEP_SUMMARY: verdict, counts, failing checks and how to reproduce them. */
export function renderMarkdown(input: RunReport): string {
  const report = displayReport(input);
  const s = report.summary;
  const v = reportVerdict(report);
  const partial = partialPasses(report.results);
  // A gate's report leads with the gate's verdict and states the profile verdict beside it, never instead.
  const profile = report.gate ? profileVerdict(report) : undefined;
  const lines = [
    `## ${ICON[v.verdict]} ${report.gate ? 'OpenPort release gate' : 'OpenPort conformance'}: ${cell(v.text)}`,
    '',
    ...(profile ? [`Profile verdict as \`run\` gives it (baselined failures counted, checks above the safety missing): **${cell(VERDICT_TEXT[profile.verdict])}**${profile.reason ? ` — ${cell(profile.reason)}` : ''}`, ''] : []),
    `Profile ${code(report.profile)} · target ${code(report.target.url)} · safety ${code(report.safety)}${report.strict ? ' · strict' : ''} · seed ${code(String(report.seed))} · ${formatDuration(report.durationMs)} · ${report.tool.name} ${cell(report.tool.version)}`,
    '',
    '| Total | Pass | Fail | Warn | Skip | Blocked | Error | Held back |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.total} | ${s.pass}${partial.length ? ` (${partial.length} partial)` : ''} | ${s.fail} | ${s.warn} | ${s.skip} | ${s.blocked} | ${s.error} | ${s.heldBack} |`,
  ];
  if (report.toolError) lines.splice(2, 0, `**Could not evaluate:** ${cell(report.toolError)}`, '');
  // A gate report (shards merged) carries each step's outcome; a failed scan must show here, not only in the exit code.
  const steps = report.gate?.steps ?? [];
  if (steps.length > 0) {
    lines.push('', '### Gate steps', '', '| Step | Outcome |', '| --- | --- |', ...steps.map((st) => `| ${cell(st.name)} | ${st.status}${gateStepFindings(st) ? ` — ${gateStepFindings(st)}` : ''} |`));
  }
  const failing = report.results.filter((r) => FAILING.includes(r.status));
  if (failing.length > 0) {
    lines.push('', '### Failing checks', '', '| Check | Level | Status | Requirement | Message | Expected | Actual | Rests on |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const r of failing) {
      // The basis and its public source are ours (the requirement table), never the target's text.
      const basis = r.finding ? (r.finding.source ? `[${cell(r.finding.basis)}](${r.finding.source})` : cell(r.finding.basis)) : '';
      lines.push(`| ${cell(r.id)} | ${r.level} | ${r.status}${r.suppression ? ` (baselined: ${cell(r.suppression.justification)})` : ''} | ${cell(r.title)} | ${cell(r.message)} | ${cell(r.expected)} | ${cell(r.actual)} | ${basis} |`);
    }
    const repro = failing.filter((r) => r.reproduce);
    if (repro.length > 0) {
      lines.push('', '<details><summary>Reproduce</summary>', '', fenced(repro.map((r) => `# ${r.id}\n${r.reproduce}`).join('\n\n')), '', '</details>');
    }
  }
  if (partial.length > 0) {
    lines.push('', '### Passed in part', '', '| Check | Level | Requirement | Not run |', '| --- | --- | --- | --- |');
    for (const r of partial) lines.push(`| ${cell(r.id)} | ${r.level} | ${cell(r.title)} | ${cell(r.partial!.join('\n'))} |`);
  }
  const notRun = notRunLines(report);
  if (notRun.length > 0) lines.push('', '### Not run', '', ...notRun.map((l) => `- ${cell(l)}`));
  if (report.cleanup.failed.length > 0) {
    lines.push('', `Cleanup failed for: ${report.cleanup.failed.map(code).join(', ')} (revoke them by hand).`);
  }
  return `${lines.join('\n')}\n`;
}

export const markdownReporter = () => fileReporter('markdown', 'summary.md', renderMarkdown);
