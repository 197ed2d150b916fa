import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { BINDINGS, SAFETY_CLASSES, ToolError, type BindingName, type Safety } from '../kit/check.js';
import { PROFILE_NAMES } from '../runner/profiles.js';
import { createReporters, DEFAULT_REPORTERS, dispatch, endReporters, redactSecrets, REPORTER_NAMES, verdictLine, type OutStream, type ReporterName } from '../report/index.js';
import type { RunOptions } from '../runner/run.js';
import type { Shard } from '../runner/selection.js';
import type { RunReport } from '../runner/result.js';
import { DOMAIN_NAMES, type DomainName } from '../runtime/domains.js';
import { loadChecks } from './checks.js';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.js';
import type { CommandIo } from './io.js';
import { DEFAULT_JOURNAL_BYTES } from '../runner/journal.js';
import { ADMIN_HEADERS_ENV, resolveSecrets, TOKEN_ENV } from './secrets.js';
import { collect, parseAdminHeader, parseConcurrency, parseFuzzRuns, parseFuzzTime, parseReporters, parseJournalBytes, parseSeed, parseShard, parseTargetUrl, parseTimeout } from './options.js';

/** The journal's name inside --out. */
export const JOURNAL_FILE = 'exchanges.jsonl';

/** What targetOptions declares, plus the per-command flags both run and fuzz feed to the engine the same way. */
export interface TargetFlags {
  adminHeader?: Record<string, string>;
  adminHeaderFile?: string;
  token?: string;
  tokenFile?: string;
  journalMaxBytes?: number;
  target?: string;
  safety?: Safety;
  fault?: string[];
  domain?: DomainName;
  reporter?: ReporterName[];
  out: string;
  timeout?: number;
  profile?: string;
  seed?: number;
  fuzzRuns?: number;
  fuzzTime?: number;
  waitRetryAfter?: boolean;
  binding?: BindingName;
  mcpPath?: string;
}

export interface RunFlags extends TargetFlags {
  list?: boolean;
  strict?: boolean;
  only?: string[];
  exclude?: string[];
  concurrency?: number;
  shard?: Shard;
}

/** The options that choose and tune the checks of a run (run, gate, baseline update). */
export function profileOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--profile <name>', 'the layer to run; each extends the one before (default: core for a url, the highest complete one embedded)').choices(PROFILE_NAMES))
    .option('--strict', 'SHOULD failures fail the run')
    .option('--only <id>', 'run only these requirement ids or globs, e.g. AUTHN-* (repeatable)', collect)
    .option('--exclude <id>', 'skip these requirement ids or globs (repeatable)', collect)
    .option('--seed <n>', 'seed for everything random (stored in report.json)', parseSeed)
    .option('--concurrency <n>', 'checks run in parallel', parseConcurrency)
    .option('--fuzz-runs <n>', 'generated cases per FUZZ property (default 100)', parseFuzzRuns)
    .option('--fuzz-time <ms>', 'time budget per FUZZ property in milliseconds (default 10000)', parseFuzzTime)
    .option('--shard <i/n>', 'run only shard i of n (split by a hash of the requirement id); combine with `merge`', parseShard);
}

/**
 * Colour: never with a non-empty NO_COLOR (https://no-color.org); FORCE_COLOR=0 turns it off and any other
 * non-empty FORCE_COLOR turns it on even in a pipe; otherwise only on a terminal that is not TERM=dumb.
 */
export function useColor(stream: OutStream, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '') return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/**
 * Ctrl-C aborts the run (the engine still cleans up and reports); a second Ctrl-C gives up on cleanup.
 * Returns the signal and a function that removes the handler.
 */
export function interruptible(io: CommandIo): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const interrupts = io.interrupts;
  const dispose = interrupts?.on(['SIGINT'], () => {
    if (controller.signal.aborted) {
      io.stderr.write('openport-conform: interrupted again; exiting without cleanup\n');
      return interrupts.exitNow(EXIT.couldNotEvaluate);
    }
    io.stderr.write('\nopenport-conform: interrupted; cleaning up (Ctrl-C again to exit now)\n');
    controller.abort(new Error('interrupted'));
  });
  return { signal: controller.signal, dispose: dispose ?? (() => undefined) };
}

/** The options every command that runs checks against a target shares (run, fuzz). */
export function targetOptions(cmd: Command): Command {
  return cmd
    .option('--admin-header <header>', "admin-plane header 'Name: value' (repeatable); enables test personas", parseAdminHeader)
    .option('--admin-header-file <file>', `admin headers from a file, one 'Name: value' per line (or env ${ADMIN_HEADERS_ENV})`)
    .option('--token <token>', `an agent token for read-only checks (visible in ps: prefer --token-file or env ${TOKEN_ENV})`)
    .option('--token-file <file>', 'read the agent token from this file')
    .option('--target <file>', 'YAML target file describing a domain other than the demo domain')
    .addOption(new Option('--safety <class>', 'the most invasive class of checks allowed (default: read-only for a url, load embedded)').choices(SAFETY_CLASSES))
    .option('--fault <name>', 'embedded runtime only: inject this defect (repeatable; replay lines of findings use it)', collect)
    .addOption(new Option('--domain <name>', 'embedded runtime only: the domain it serves (default demo); without --target, fixtures/targets/<name>.yaml describes it').choices(DOMAIN_NAMES))
    .option('--reporter <list>', `comma-separated reporters from ${REPORTER_NAMES.join(', ')} (default: ${DEFAULT_REPORTERS.join(',')})`, parseReporters)
    .option('--out <dir>', 'directory for report files (created)', 'openport-report')
    .option('--timeout <ms>', 'total deadline of each request (connect, headers and body) in milliseconds', parseTimeout)
    .option('--journal-max-bytes <n>', `byte cap of the exchange journal <out>/${JOURNAL_FILE} (default ${DEFAULT_JOURNAL_BYTES})`, parseJournalBytes)
    .option('--wait-retry-after', 'rate-limit checks wait out a long Retry-After (up to 65 s) to prove recovery; default: prove it counts down');
}

/** `run` only: the agent plane's binding. */
function bindingOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option('--binding <name>', 'the agent plane\'s binding: http, or mcp (MCP over Streamable HTTP at <url>/mcp; embedded: in-memory); the admin plane stays HTTP (docs/mcp-binding.md)').choices(BINDINGS))
    .option('--mcp-path <path>', 'with --binding mcp and a url: the MCP endpoint relative to the url (default /mcp)');
}

export function registerRun(program: Command, io: CommandIo): void {
  profileOptions(bindingOptions(targetOptions(program
    .command('run')
    .summary('run the conformance checks (embedded reference runtime when no url)')
    .description('run the conformance checks of a profile against a server, or against the embedded reference runtime when no url is given')
    .argument('[url]', 'base URL of the server (http or https); omit to test the embedded reference runtime', parseTargetUrl))
    .option('--list', 'dry run: print what would run, be skipped or held back, and why; sends no request')))
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
      if (flags.list) return void io.stdout.write(await dryRun(url, flags));
      const report = await runWithReporters(io, url, flags, { strict: flags.strict === true, only: flags.only, exclude: flags.exclude, concurrency: flags.concurrency, shard: flags.shard });
      io.setExit(report.exitCode);
    });
}

/** `run --list`: the plan of the run these flags describe, decided without sending a request. */
async function dryRun(url: string | undefined, flags: RunFlags): Promise<string> {
  const { resolveSelection, planRows } = await import('../runner/selection.js');
  const checks = await loadChecks();
  const sel = resolveSelection({ profile: flags.profile, embedded: url === undefined, safety: flags.safety, only: flags.only, exclude: flags.exclude, checks });
  // Embedded runs hold the runtime's own token and admin headers.
  const has = url === undefined ? { token: true, admin: true } : { token: !!flags.token, admin: Object.keys(flags.adminHeader ?? {}).length > 0 };
  const rows = planRows(sel, has).map((r) => {
    const def = checks.find((c) => c.id === r.id);
    const binding = flags.binding ?? 'http';
    return r.outcome === 'run' && def?.bindings && !def.bindings.includes(binding)
      ? { ...r, outcome: 'skip' as const, why: `does not apply to the ${binding.toUpperCase()} binding (outside the verdict)` }
      : r;
  });
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
 * What every command that runs checks shares: the target flags, reporters, an --out checked before any
 * traffic, Ctrl-C, secrets. `opts` carries the command's own run options.
 */
export async function runWithReporters(
  io: CommandIo,
  url: string | undefined,
  flags: TargetFlags,
  opts: Pick<RunOptions, 'strict' | 'only' | 'exclude' | 'concurrency' | 'fuzz' | 'shard' | 'canary'>,
): Promise<RunReport> {
  const stream: OutStream = io.stdout;
  const names = flags.reporter ?? DEFAULT_REPORTERS;
  // The environment names a remote server's secrets; an embedded run keeps the runtime's own.
  const { token, adminHeaders } = resolveSecrets(flags, url === undefined ? {} : io.env);
  const secrets = [token, opts.canary, ...Object.values(adminHeaders ?? {})].filter((s): s is string => !!s);
  const reporters = createReporters(names, { stream, color: useColor(stream, io.env), secrets });
  if (names.some((n) => n !== 'pretty')) {
    // Fail on an unusable --out before any traffic, not after the run.
    await mkdir(flags.out, { recursive: true }).catch((e: Error) => {
      throw new ToolError(`--out ${flags.out}: cannot create the report directory (${e.message})`, 2);
    });
  }
  const journal = names.some((n) => n !== 'pretty') ? { file: join(flags.out, JOURNAL_FILE), maxBytes: flags.journalMaxBytes } : undefined;
  // Loaded on demand: help, explain and profiles should not pay for the runtime and every check.
  const { run } = await import('../runner/run.js');
  const checks = await loadChecks();
  const interrupt = interruptible(io);
  const startedAt = new Date();
  try {
    const options: RunOptions = {
      checks,
      url,
      profile: flags.profile,
      adminHeaders,
      token,
      journal,
      targetFile: flags.target,
      safety: flags.safety,
      seed: flags.seed,
      timeoutMs: flags.timeout,
      faults: flags.fault,
      domain: flags.domain,
      waitRetryAfter: flags.waitRetryAfter,
      ...(flags.binding ? { binding: flags.binding } : {}),
      ...(flags.mcpPath !== undefined ? { mcpPath: flags.mcpPath } : {}),
      ...opts,
      fuzz: { ...(flags.fuzzRuns !== undefined ? { runs: flags.fuzzRuns } : {}), ...(flags.fuzzTime !== undefined ? { timeMs: flags.fuzzTime } : {}), ...opts.fuzz },
      onEvent: (e) => dispatch(reporters, e),
      signal: interrupt.signal,
    };
    let report: RunReport;
    let stopped: ToolError | undefined;
    try {
      report = await run(options);
    } catch (e) {
      // Could not evaluate (unreachable, not OpenPort, admin refused): the reports still get written, with the error.
      if (!(e instanceof ToolError) || e.exitCode !== 3) throw e;
      stopped = e;
      report = (await import('../runner/unevaluated.js')).unevaluatedReport(options, e, startedAt);
    }
    const written = await endReporters(reporters, report, { outDir: flags.out, stream, secrets });
    // Without the console reporter a CI log still gets the verdict and where the files are.
    if (!names.includes('pretty')) stream.write(redactSecrets(`${verdictLine(report)}\nReports: ${written.join(', ')}\n`, secrets));
    if (stopped) throw stopped;
    return report;
  } catch (e) {
    // A tool error may quote what the target sent back; main prints it, so it loses the secrets here.
    if (e instanceof ToolError) throw new ToolError(redactSecrets(e.message, secrets), e.exitCode);
    throw e;
  } finally {
    interrupt.dispose();
  }
}
