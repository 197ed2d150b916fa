import { accessSync, closeSync, constants, existsSync, mkdtempSync, openSync, readSync, renameSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import { ToolError } from '../kit/check.js';
import { makeDirs } from '../kit/paths.js';
import { createReporters, dispatch, endReporters, redactSecrets, shownAs, verdictLine, type OutStream } from '../report/index.js';
import { renderJson } from '../report/json.js';
import { JOURNAL_FILE } from '../runner/journal.js';
import { runOptionsOf } from '../runner/options.js';
import type { RunOptions } from '../runner/run.js';
import type { CheckResult, RunReport } from '../runner/result.js';
import { loadChecks } from './checks.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import { invokedAs, useColor, type CommandIo } from './io.js';
import { resolveSecrets } from './secrets.js';
import { parseTargetUrl, tableOptions, withDefaults, type CliValues } from './options.js';

export { JOURNAL_FILE };

/** The flags of a command that runs checks: the table's options (reporters and --out filled in). */
export type RunFlags = CliValues & { out: string; list?: boolean };

/**
 * A signal this soon after the first is the same interrupt delivered twice, not a second one: `timeout`
 * signals the command it started and then its whole process group, and a terminal's Ctrl-C reaches both npm
 * (under npx) and the process npm passes it on to.
 */
export const SIGNAL_ECHO_MS = 1_000;

/**
 * Ctrl-C (SIGINT) or SIGTERM (a CI job cancelled) stops the run: the engine revokes what it provisioned and
 * every report is written, saying the run was interrupted; a second signal (SIGNAL_ECHO_MS or more after the
 * first) gives up on cleanup, naming `marker` (the run's apps left active on the server carry it) when given.
 * Returns the signal and a function that removes the handler.
 */
export function interruptible(io: CommandIo, reportFile?: string, marker?: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const interrupts = io.interrupts;
  let firstAt = 0;
  const dispose = interrupts?.on(['SIGINT', 'SIGTERM'], (sig) => {
    if (controller.signal.aborted) {
      if (interrupts.now() - firstAt < SIGNAL_ECHO_MS) return;
      // The report so far was written on the first signal; named, since under certify it is in a work folder of its own.
      const left = reportFile !== undefined && existsSync(reportFile) ? `; the report so far: ${reportFile}` : '';
      const apps = marker === undefined ? '' : `; apps this run created stay active: revoke those named "… ${marker}" by hand`;
      io.stderr.write(`openport-conform: interrupted again; exiting without cleanup${apps}${left}\n`);
      return interrupts.exitNow(EXIT.couldNotEvaluate);
    }
    firstAt = interrupts.now();
    io.stderr.write(`\nopenport-conform: interrupted (${sig}); cleaning up (${sig === 'SIGINT' ? 'Ctrl-C' : 'the signal'} again to exit now)\n`);
    controller.abort(new Error(`interrupted (${sig})`));
  });
  return { signal: controller.signal, dispose: dispose ?? (() => undefined) };
}

export function registerRun(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('run')
    .summary('run the conformance checks (embedded reference runtime when no url)')
    .description('run the conformance checks of a profile against a server, or against the embedded reference runtime when no url is given')
    .argument('[url]', 'base URL of the server (http or https); omit to test the embedded reference runtime', parseTargetUrl)
    .option('--list', 'dry run: print what would run, be skipped or held back, and why; sends no request'), 'run')
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform run
  $ openport-conform run --domain helpdesk
  $ openport-conform run https://openport.example.com --token op_… --list
  $ openport-conform run https://openport.example.com --token op_… --reporter pretty,junit
  $ openport-conform run http://127.0.0.1:8080 --admin-header 'x-admin-user: admin_demo' --profile state-witness --safety load
  $ openport-conform run --binding mcp                     (embedded, over the SDK's in-memory MCP transport)
  $ openport-conform run http://127.0.0.1:8080 --binding mcp --token op_… --admin-header 'authorization: Bearer adm_…' --safety load
${EXIT_CODES_HELP}`,
    )
    .action(async (url: string | undefined, flags: RunFlags) => {
      const values = withDefaults(flags, 'run');
      if (values.list) return void io.stdout.write(await dryRun(io, url, values));
      const report = await runWithReporters(io, url, values);
      throwIfJournalFailed(report, 'run');
      io.setExit(report.exitCode);
    });
}

/**
 * A journal the disk refused (full, gone) is a failure of the command, said once its own work is done (the
 * reports written, a fuzz corpus saved): the reports say the journal is truncated, the exit is 2 and says why.
 */
export function throwIfJournalFailed(report: RunReport, command: string): void {
  const error = report.evidence?.journal.error;
  if (error) throw new ToolError(`${error} (the ${command} finished; its journal is truncated, so it cannot be certified)`, 2);
}

/**
 * `run --list`: the plan of the run these flags describe, decided without sending a request by the run's own
 * planner (src/runner/run.ts): the same options, credentials (flags, files, environment) and target file,
 * refused the same way (exit 2).
 */
export async function dryRun(io: CommandIo, url: string | undefined, flags: RunFlags): Promise<string> {
  const { dryRun: plan } = await import('../runner/run.js');
  const checks = await loadChecks(io);
  const { token, adminHeaders } = resolveSecrets(flags, url === undefined ? {} : io.env);
  const { selection: sel, rows } = await plan({ checks, url, ...runOptionsOf(flags), adminHeaders, token });
  const cols = rows.map((r) => [r.id, r.level, r.layer, r.safety, r.needs, r.outcome]);
  const head = ['id', 'level', 'layer', 'safety', 'needs', 'outcome'];
  const widths = head.map((h, i) => Math.max(h.length, ...cols.map((c) => c[i]!.length)));
  const line = (c: string[], why?: string) => `${c.map((x, i) => x.padEnd(widths[i]!)).join('  ')}${why ? `  ${why}` : ''}`.trimEnd();
  const count = (o: string) => rows.filter((r) => r.outcome === o).length;
  return [
    `profile ${sel.profile.name} · target ${url ?? 'embedded reference runtime (in-process)'}${flags.binding === 'mcp' ? ' · binding mcp' : ''} · safety ${sel.safety} · dry run: no request sent`,
    '',
    line(head, 'why'),
    ...rows.map((r, i) => line(cols[i]!, r.why)),
    '',
    `${count('run')} would run, ${count('skip')} would be skipped, ${count('held back')} held back`,
    '',
  ].join('\n');
}

/**
 * An --out that cannot become a directory is refused without creating it: a usage error found afterwards (an
 * unknown target file, say) leaves nothing behind. The journal makes the directory when the run starts.
 */
export function checkOutDir(out: string, what = 'the report directory'): void {
  let at = resolve(out);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  let why: string | undefined;
  if (!statSync(at).isDirectory()) why = `${at} is not a directory`;
  else {
    try {
      accessSync(at, constants.W_OK);
      // A directory of a name of its own made and removed there: a directory can refuse new entries whatever its
      // mode says (/proc answers ENOENT), and another run making --out beside this one is never in the way.
      if (at !== resolve(out)) rmdirSync(mkdtempSync(join(at, '.opc-probe-')));
    } catch (e) {
      why = (e as Error).message;
    }
  }
  if (why !== undefined) throw new ToolError(`--out ${out}: cannot create ${what} (${why})`, 2);
}

/** `out` made now (exit 2 when it cannot be): before any traffic, not when the first file is written. */
export function makeOutDir(out: string, what = 'the report directory'): void {
  try {
    makeDirs(out);
  } catch (e) {
    throw new ToolError(`--out ${out}: cannot create ${what} (${(e as Error).message})`, 2);
  }
}

/** A tool error may quote what the target sent back, and main prints it: it loses the run's secrets first. */
export function withoutSecrets(e: unknown, secrets: readonly string[]): unknown {
  return e instanceof ToolError ? new ToolError(redactSecrets(e.message, secrets), e.code) : e;
}

/**
 * What every command that runs checks shares: the run options from the table's flags, reporters, an --out
 * checked before any traffic, Ctrl-C, secrets. `flags` already hold the command's defaults; `extra` adds what
 * no flag gives (certify's canary, and the bundle its report files end up in).
 */
export async function runWithReporters(
  io: CommandIo, url: string | undefined, flags: RunFlags,
  extra: Pick<RunOptions, 'canary'> & { shownIn?: string; /** certify: the journal becomes the bundle's transcript and its work folder goes, so the report names no file. */ journalKept?: false } = {},
): Promise<RunReport> {
  const stream: OutStream = io.stdout;
  const names = flags.reporter!;
  // The environment names a remote server's secrets; an embedded run keeps the runtime's own.
  const { token, adminHeaders } = resolveSecrets(flags, url === undefined ? {} : io.env);
  const secrets = [token, extra.canary, ...Object.values(adminHeaders ?? {})].filter((s): s is string => !!s);
  const reporters = createReporters(names, { stream, color: useColor(stream, io.env), secrets });
  // Fail on an unusable --out before any traffic, not after the run.
  const writesFiles = names.some((n) => n !== 'pretty');
  if (writesFiles) checkOutDir(flags.out);
  const journal = writesFiles ? { file: join(flags.out, JOURNAL_FILE), maxBytes: flags.journalMaxBytes } : undefined;
  // Loaded on demand: help, explain and profiles should not pay for the runtime and every check.
  const { run, resolveSeed } = await import('../runner/run.js');
  const checks = await loadChecks(io);
  const { inProgressReport } = await import('../runner/unevaluated.js');
  // Chosen here, so that a second signal and the report written while the run runs can name it: against a URL
  // with admin headers, the only run that creates apps there (an embedded run's end with its process).
  const marker = url === undefined || adminHeaders === undefined ? undefined : (await import('../runner/personas.js')).runMarker();
  // No await from here to the abort listener below: a signal in between would find no report to write.
  const interrupt = interruptible(io, names.includes('json') ? join(flags.out, 'report.json') : undefined, marker);
  const startedAt = new Date();
  let progress: ProgressFile | undefined;
  let profile: string | undefined;
  try {
    const options: RunOptions = {
      checks,
      url,
      ...runOptionsOf(flags),
      // Chosen before the run, so that a run which stops before its first check reports the seed it had.
      seed: resolveSeed(flags.seed),
      ...(marker === undefined ? {} : { marker }),
      adminHeaders,
      token,
      journal,
      command: invokedAs(io.env),
      ...extra,
      onEvent: (e) => {
        dispatch(reporters, e);
        if (e.type === 'start') profile = e.profile;
        if (e.type === 'result') progress?.add(e.result);
      },
      signal: interrupt.signal,
    };
    // report.json is rewritten as results come, so a job killed before the end still leaves evidence.
    // With the profile the run chose (the default depends on the target), as its final report will say.
    progress = names.includes('json') ? new ProgressFile(join(flags.out, 'report.json'), (results) => inProgressReport({ ...options, profile: profile ?? options.profile }, startedAt, results), secrets) : undefined;
    // On a signal the results so far go to disk at once: a second signal ends the process without the final report.
    interrupt.signal.addEventListener('abort', () => progress?.flush(), { once: true });
    let report: RunReport;
    let stopped: ToolError | undefined;
    try {
      report = await run(options);
    } catch (e) {
      // Could not evaluate (unreachable, not OpenPort, admin refused), or a description the server it was sent to
      // contradicts (exit 2): the reports still get written, with the error, so an upload step finds this run's
      // and not an earlier run's. A usage error found before any request leaves --out as it was.
      if (!(e instanceof ToolError) || (e.exitCode !== 3 && !sentRequests(journal?.file, startedAt))) throw e;
      stopped = e;
      report = (await import('../runner/unevaluated.js')).unevaluatedReport(options, e, startedAt);
      // Stopped by an interrupt before the first check (during a probe or provisioning): it says so.
      if (interrupt.signal.aborted) report.stopped = (interrupt.signal.reason as Error).message;
    }
    progress?.close();
    if (extra.journalKept === false && report.evidence) report.evidence.journal.file = null;
    const written = await endReporters(reporters, report, { outDir: flags.out, stream, secrets, shownIn: extra.shownIn });
    // Without the console reporter a CI log still gets the verdict and where the files are.
    if (!names.includes('pretty')) stream.write(redactSecrets(`${verdictLine(report)}\nReports: ${shownAs(written, extra.shownIn).join(', ')}\n`, secrets));
    if (stopped) throw stopped;
    return report;
  } catch (e) {
    throw withoutSecrets(e, secrets);
  } finally {
    progress?.close();
    interrupt.dispose();
  }
}

/**
 * Whether the run's journal (closed by now) records an exchange: the run sent requests before it stopped. A
 * journal older than the run is an earlier run's (this one stopped before it made its own).
 */
function sentRequests(file: string | undefined, startedAt: Date): boolean {
  if (file === undefined || !existsSync(file) || statSync(file).mtimeMs + 1000 < startedAt.getTime()) return false;
  // The header line comes first, the first exchange right after it.
  const head = Buffer.alloc(64 * 1024);
  const fd = openSync(file, 'r');
  try {
    return head.subarray(0, readSync(fd, head, 0, head.length, 0)).includes('"type":"exchange"');
  } finally {
    closeSync(fd);
  }
}

/**
 * report.json while the run runs, written synchronously (a write queued behind a busy thread pool could still
 * be pending when the job is killed) and atomically (a reader never sees half a file). Each write renders every
 * result so far, so writing after each result costs time quadratic in the results: the first result is
 * written at once, later ones at most every `intervalMs`, and a timer writes what is pending once the interval
 * has passed, so a run that then stalls (a target that stops answering) still has its latest results on disk.
 */
export class ProgressFile {
  private readonly results: CheckResult[] = [];
  private closed = false;
  /** How many of `results` the file holds. */
  private written = 0;
  private lastWrite = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly file: string,
    private readonly report: (results: readonly CheckResult[]) => RunReport,
    private readonly secrets: readonly string[],
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  add(result: CheckResult): void {
    this.results.push(result);
    if (this.closed || this.timer !== undefined) return;
    const wait = this.lastWrite + this.intervalMs - performance.now();
    if (wait <= 0) this.write();
    // unref: a pending progress write never keeps the process alive; the final report follows anyway.
    else this.timer = setTimeout(() => this.write(), wait).unref();
  }

  /** Write what is pending now (before the process may die on a signal), also a report of no result yet. */
  flush(): void {
    if (!this.closed && (this.written < this.results.length || this.lastWrite === -Infinity)) this.write();
  }

  private write(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.closed) return;
    this.lastWrite = performance.now();
    this.written = this.results.length;
    const tmp = `${this.file}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, redactSecrets(renderJson(this.report(this.results)), this.secrets), 'utf8');
      renameSync(tmp, this.file);
    } catch {
      // A progress write that fails (a full disk) must not end the run; the final write will say why.
      rmSync(tmp, { force: true });
    }
  }

  /** No write after this: the final report is written next. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/**
 * How often report.json is rewritten during a run: a killed run loses at most this much of its results, and an
 * embedded run (about a hundred results in a second or two) writes it a handful of times instead of a hundred.
 */
export const PROGRESS_INTERVAL_MS = 250;
