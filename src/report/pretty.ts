import { displayLine, displayReport, displayText } from './text.js';
import { Chalk, type ChalkInstance } from 'chalk';
import type { CheckResult, RunReport, Status } from '../runner/result.js';
import { areaOf } from '../protocol/requirements.js';
import { redactSecrets } from './output.js';
import { countsLine, formatDuration, notRunLines, plural, reportVerdict } from './summary.js';
import type { Reporter, ReporterOptions } from './types.js';

const TAG: Record<Status, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', blocked: 'BLOCK', error: 'ERROR' };
const INDENT = '         ';

// Messages quote what the target sent; a hostile server must not be able to drive the terminal.
const clean = displayText;

function paint(c: ChalkInstance, status: Status, text: string): string {
  switch (status) {
    case 'pass':
      return c.green(text);
    case 'fail':
    case 'error':
      return c.red(text);
    case 'warn':
    case 'blocked':
      return c.yellow(text);
    case 'skip':
      return c.dim(text);
  }
}

/** The status word, and "PASS (partial)" for a pass that names parts of the check that did not run. */
function tagOf(c: ChalkInstance, r: CheckResult): string {
  if (r.status === 'pass' && r.partial?.length) return `${paint(c, 'pass', TAG.pass)} ${c.yellow('(partial)')}`;
  return paint(c, r.status, TAG[r.status].padEnd(6));
}

function resultLines(c: ChalkInstance, r: CheckResult): string[] {
  const head = `  ${tagOf(c, r)} ${c.bold(r.id)} ${c.dim(`[${r.level}]`)} ${r.title} ${c.dim(`(${formatDuration(r.durationMs)})`)}`;
  // Text that may come from the target is cleaned first and styled after, so no escape sequence of ours is
  // cleaned into "?"; the reproduce line is never styled, so it pastes into a shell as printed.
  const more: [string, ((s: string) => string)?][] = [];
  // What of a partial pass did not run is the one thing a pass line says besides its title.
  if (r.status === 'pass') for (const why of r.partial ?? []) more.push([`not run: ${why}`]);
  // Skips are explained once, grouped by reason, under "Not run".
  if (r.status !== 'skip' && r.status !== 'pass') {
    if (r.message) more.push([r.message]);
    if (r.expected !== undefined) more.push([`expected:  ${r.expected}`]);
    if (r.actual !== undefined) more.push([`actual:    ${r.actual}`]);
    if (r.finding) more.push([`rests on:  ${r.finding.basis}${r.finding.source ? ` (${r.finding.source})` : ''}`]);
    if (r.reproduce !== undefined) more.push([`reproduce: ${r.reproduce}`]);
    if (r.hint !== undefined) more.push([`hint: ${r.hint}`, c.dim]);
  }
  return [head, ...more.flatMap(([m, style]) => clean(m).split('\n').map((line) => `${INDENT}${style ? style(line) : line}`))];
}

export function renderPretty(input: RunReport, written: readonly string[], c: ChalkInstance): string {
  const report = displayReport(input);
  const out: string[] = [];
  const byArea = new Map<string, CheckResult[]>();
  for (const r of report.results) byArea.set(areaOf(r.id), [...(byArea.get(areaOf(r.id)) ?? []), r]);
  for (const [area, rs] of byArea) out.push('', c.bold(area), ...rs.flatMap((r) => resultLines(c, r)));
  const notRun = notRunLines(report);
  if (notRun.length > 0) out.push('', c.bold('Not run'), ...notRun.map((l) => `  ${displayLine(l)}`));
  if (report.cleanup.failed.length > 0) {
    out.push('', c.yellow(`Cleanup failed for ${displayLine(report.cleanup.failed.join(', '))}: revoke them through the admin plane by hand.`));
  }
  if (report.toolError) out.push('', c.red(`Could not evaluate: ${displayLine(report.toolError)}`));
  const v = reportVerdict(report);
  const paintedVerdict = v.verdict === 'conformant' ? c.green.bold(v.text) : v.verdict === 'not-conformant' ? c.red.bold(v.text) : c.yellow.bold(v.text);
  out.push('', `${countsLine(report)} · ${formatDuration(report.durationMs)} · seed ${report.seed} · ${paintedVerdict}`);
  if (written.length > 0) out.push(`Reports: ${written.join(', ')}`);
  return `${out.join('\n')}\n`;
}

/** Console reporter: a progress line on a TTY (nothing in a pipe), then results grouped by area and the verdict, once. */
export function prettyReporter(opts: ReporterOptions): Reporter {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  // A dumb terminal cannot erase a line: it gets the log form.
  const tty = opts.stream.isTTY === true && process.env.TERM !== 'dumb';
  let progressShown = false;
  const clearProgress = () => {
    if (progressShown) opts.stream.write('\r\x1b[2K');
    progressShown = false;
  };
  return {
    name: 'pretty',
    console: true,
    onStart(e) {
      const target = e.target === 'embedded:' ? 'embedded reference runtime (in-process)' : e.target;
      opts.stream.write(`openport-conform · profile ${e.profile} · target ${target} · ${plural(e.total, 'check')}\n`);
    },
    onResult(e) {
      // A log (CI, a pipe) gets the grouped report once, at the end: progress is for a person at a terminal.
      if (!tty) return;
      const columns = (opts.stream as { columns?: number }).columns ?? 80;
      const line = `[${e.done}/${e.total}] ${e.result.id} ${e.result.title}`;
      opts.stream.write(`\r\x1b[2K${line.length > columns - 1 ? `${line.slice(0, columns - 2)}…` : line}`);
      progressShown = true;
    },
    async onEnd(report, ctx) {
      clearProgress();
      ctx.stream.write(redactSecrets(renderPretty(report, ctx.written, c), ctx.secrets));
      return [];
    },
  };
}
