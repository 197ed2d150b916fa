/** The reporter registry: one name → factory map; the CLI's --reporter choices come from it. */
import { unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { RunEvent, RunReport } from '../runner/result.js';
import { htmlReporter } from './html.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { markdownReporter } from './markdown.js';
import { prettyReporter } from './pretty.js';
import { sarifReporter } from './sarif.js';
import type { EndContext, Reporter, ReporterOptions } from './types.js';
import { makeDirs } from '../kit/paths.js';

export type { EndContext, OutStream, Reporter, ReporterOptions } from './types.js';
export { redactSecrets, writeFileAtomic } from './output.js';
export { verdictLine } from './summary.js';

export const REPORTERS = {
  pretty: prettyReporter,
  json: jsonReporter,
  junit: junitReporter,
  sarif: sarifReporter,
  markdown: markdownReporter,
  html: htmlReporter,
} as const satisfies Record<string, (opts: ReporterOptions) => Reporter>;

export type ReporterName = keyof typeof REPORTERS;
export const REPORTER_NAMES = Object.keys(REPORTERS) as ReporterName[];
export const DEFAULT_REPORTERS: ReporterName[] = ['pretty', 'json'];

export function isReporterName(name: string): name is ReporterName {
  return Object.prototype.hasOwnProperty.call(REPORTERS, name);
}

export function createReporters(names: readonly ReporterName[], opts: ReporterOptions): Reporter[] {
  return [...new Set(names)].map((n) => REPORTERS[n](opts));
}

/** Feed a run event to every reporter's matching hook. */
export function dispatch(reporters: readonly Reporter[], e: RunEvent): void {
  for (const r of reporters) {
    if (e.type === 'start') r.onStart?.(e);
    else if (e.type === 'result') r.onResult?.(e);
  }
}

/**
 * End every reporter: file reporters first (the output directory is created for them), console reporters
 * last so they can say where the files went. Returns all files written.
 */
export async function endReporters(
  reporters: readonly Reporter[],
  report: RunReport,
  ctx: Omit<EndContext, 'written'>,
): Promise<string[]> {
  const ordered = [...reporters.filter((r) => !r.console), ...reporters.filter((r) => r.console)];
  const written: string[] = [];
  if (ordered.some((r) => !r.console && r.onEnd)) makeDirs(ctx.outDir);
  for (const r of ordered) {
    if (r.onEnd) written.push(...(await r.onEnd(report, { ...ctx, written: r.console ? shownAs(written, ctx.shownIn) : [...written] })));
  }
  if (written.length > 0) await removeStale(ctx.outDir, written);
  return written;
}

/** Report files as the console names them: in `shownIn` when they are moved there after the run. */
export function shownAs(written: readonly string[], shownIn: string | undefined): string[] {
  return shownIn === undefined ? [...written] : written.map((f) => join(shownIn, basename(f)));
}

/**
 * A report an earlier run left beside this run's (a junit.xml from yesterday's --reporter junit) would be
 * read as today's. Only the files reporters name are removed, never anything else in the folder.
 */
async function removeStale(outDir: string, written: readonly string[]): Promise<void> {
  const ours = new Set(written.map((f) => join(f)));
  for (const name of REPORTER_NAMES) {
    const file = REPORTERS[name]({ stream: process.stdout, color: false }).file;
    if (file && !ours.has(join(outDir, file))) await unlink(join(outDir, file)).catch(() => undefined);
  }
}
