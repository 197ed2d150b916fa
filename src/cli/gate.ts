/**
 * `gate`, `baseline update` and `merge`: the CI release gate and the pieces around it. Flags win over the
 * config file (openport-gate.yaml); the loaded config and baseline are printed before any request.
 */
import { loadChecks } from './checks.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Chalk } from 'chalk';
import { Command, InvalidArgumentError } from 'commander';
import { ToolError } from '../kit/check.js';
import { getPath, layered, RUN_OPTIONS, runOptionsOf } from '../runner/options.js';
import type { RunOptions } from '../runner/run.js';
import type { RunReport } from '../runner/result.js';
import { loadBaseline, renderBaseline, updateBaseline, PLACEHOLDER_REASON, type Baseline } from '../gate/baseline.js';
import { configValues, loadGateConfig, resolveSecret, type GateConfig, type ScanConfig, type SecretRef } from '../gate/config.js';
import { GATE_SEED, runGate, type GateReport } from '../gate/gate.js';
import { DEPLOYMENT_RULES } from '../gate/deployment.js';
import { loadReport, mergeReports } from '../gate/merge.js';
import { renderGateJson, renderGateJunit, renderGateMarkdown, renderGateSarif, renderGateText } from '../gate/render.js';
import type { ShallowPolicy } from '../gate/tree-scan.js';
import { createReporters, dispatch, endReporters, redactSecrets, REPORTERS, writeFileAtomic, type ReporterName } from '../report/index.js';
import { redactToken } from '../protocol/redact.js';
import { adminDefaults, collect, commandDefaults, givenOnCli, integer, parseTargetUrl, tableOptions, withDefaults, type CliValues } from './options.js';
import { interruptible, JOURNAL_FILE, makeOutDir, ProgressFile, throwIfJournalFailed, withoutSecrets, type RunFlags } from './run.js';
import { inProgressReport } from '../runner/unevaluated.js';
import { gateReading } from '../runner/verdict.js';
import { invokedAs, useColor, type CommandIo } from './io.js';
import { resolveSecrets } from './secrets.js';
import { runMarker } from '../runner/personas.js';

export const DEFAULT_CONFIG_FILE = 'openport-gate.yaml';
export const DEFAULT_BASELINE_FILE = 'openport-baseline.yaml';

/** The gate's own flags (not run options) and the config keys they override. */
export const GATE_CONFIG_KEYS = {
  baseline: 'baseline',
  scan: 'scan.roots',
  history: 'scan.history',
  deployment: 'deployment.files',
  maxWindowHours: 'deployment.maxWindowHours',
  failOn: 'deployment.fail',
} as const;

interface GateFlags extends RunFlags {
  config?: string;
  baseline?: string;
  scan?: string[];
  history?: number;
  deployment?: string[];
  maxWindowHours?: number;
  failOn?: string[];
}

/** Everything the gate (and baseline update) will use, flags over config over defaults. */
interface Resolved {
  configFile?: string;
  config: GateConfig;
  /** The option values after the merge; the run options among them are also in `run`. */
  values: CliValues;
  /** The gate's own flags over their config keys. */
  own: Partial<Pick<GateFlags, keyof typeof GATE_CONFIG_KEYS>>;
  run: RunOptions;
  /** Against a URL with admin headers: the run creates apps there, and the live deployment read has a plane to read. */
  admin: boolean;
  reporters: ReporterName[];
  out: string;
  baselineFile?: string;
  secrets: string[];
}

/** The rules of the deployment scan, the only ones --fail-on and deployment.fail can name. */
const DEPLOYMENT_RULE_IDS = DEPLOYMENT_RULES.map((r) => r.id);

function gateRule(value: string, previous: string[] = []): string[] {
  if (!DEPLOYMENT_RULE_IDS.includes(value)) throw new InvalidArgumentError(`"${value}" is not a rule of the deployment scan (${DEPLOYMENT_RULE_IDS.join(', ')})`);
  return [...previous, value];
}

/** The reports every gate writes, beside gate.json and gate.md: README.md's gate section names them. */
const GATE_ALWAYS = ['json', 'sarif'] as const satisfies readonly ReporterName[];

/** Flags given on the command line win; otherwise the config key; otherwise the gate's default. */
function resolve(cmd: Command, io: CommandIo, url: string | undefined, flags: GateFlags, checks: RunOptions['checks']): Resolved {
  const configFile = flags.config ?? (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const config = configFile ? loadGateConfig(configFile) : {};
  const target = url ?? config.url;
  // Flags, secret files and the environment first (as for run), then the config's credential references.
  const given = resolveSecrets(flags, target === undefined ? {} : io.env);
  const at = (path: string) => `gate config ${configFile}: /${path.replace(/\./g, '/')}`;
  const tokenRef = getPath(config, RUN_OPTIONS.token.config!) as SecretRef | undefined;
  const headerRefs = getPath(config, RUN_OPTIONS.adminHeader.config!) as (SecretRef & { name: string })[] | undefined;
  const token = given.token ?? (tokenRef ? resolveSecret(tokenRef, at(RUN_OPTIONS.token.config!), io.env) : undefined);
  const adminHeaders = given.adminHeaders
    ?? (headerRefs?.length ? Object.fromEntries(headerRefs.map((h, i) => [h.name.toLowerCase(), resolveSecret(h, `${at(RUN_OPTIONS.adminHeader.config!)}/${i}`, io.env)])) : undefined);
  // Against a url with admin credentials the gate runs at draft: the run provisions the agent token it lacks.
  const admin = target !== undefined && Object.keys(adminHeaders ?? {}).length > 0;
  const values = layered<CliValues>(givenOnCli(cmd, flags), configFile ? configValues(config, configFile) : {}, admin ? adminDefaults('gate') : {}, commandDefaults('gate'));
  const run: RunOptions = { checks, url: target, ...runOptionsOf(values), token, adminHeaders, command: invokedAs(io.env) };
  const own = Object.fromEntries(Object.entries(GATE_CONFIG_KEYS).map(([flag, path]) => [flag, flags[flag as keyof typeof GATE_CONFIG_KEYS] ?? getPath(config, path)])) as Resolved['own'];
  if (run.url !== undefined) parseTargetUrl(run.url);
  const unknownRule = (own.failOn ?? []).find((id) => !DEPLOYMENT_RULE_IDS.includes(id));
  if (unknownRule !== undefined) throw new ToolError(`gate config ${configFile}: /deployment/fail: "${unknownRule}" is not a rule of the deployment scan (${DEPLOYMENT_RULE_IDS.join(', ')})`, 2);
  // Files are scanned instead of the live plane: a config asking for both would lose the live plane without a
  // word. (--deployment on the command line wins over the config, as every flag does.)
  if (config.deployment?.live === true && (config.deployment.files ?? []).length > 0) {
    throw new ToolError(`gate config ${configFile}: /deployment: live is true, but files are given too, and files are scanned instead of the live admin plane: set live to false or drop the files`, 2);
  }
  return {
    configFile,
    config,
    values,
    own,
    run,
    admin,
    // report.json (what merge reads) and report.sarif (the scans' findings) are written whatever --reporter says.
    reporters: [...new Set([...values.reporter!, ...GATE_ALWAYS])],
    out: values.out!,
    baselineFile: own.baseline ?? (existsSync(DEFAULT_BASELINE_FILE) ? DEFAULT_BASELINE_FILE : undefined),
    secrets: [token, ...Object.values(adminHeaders ?? {})].filter((s): s is string => !!s),
  };
}

/** The effective settings, printed before any request; credentials only as where they come from or a prefix. */
function describe(r: Resolved, baseline: Baseline | undefined, scanRoots: string[], history: { history: number; shallow: ShallowPolicy }, deployment: { files: string[]; live: boolean; maxWindowHours: number; fail: string[] }): string {
  const cred = r.config.credentials;
  const where = (ref: { env?: string; file?: string } | undefined) => (ref?.env ? `env ${ref.env}` : ref?.file ? `file ${ref.file}` : undefined);
  const lines = [
    `gate config: ${r.configFile ?? '(none; defaults)'}`,
    `  target:     ${r.run.url ?? 'embedded reference runtime'}${r.run.faults?.length ? ` with faults ${r.run.faults.join(', ')}` : ''}`,
    `  profile:    ${r.run.profile ?? '(default)'} · safety ${r.run.safety ?? '(default)'} · strict ${r.run.strict} · seed ${r.run.seed}${r.run.shard ? ` · shard ${r.run.shard.index}/${r.run.shard.count}` : ''}`,
    `  token:      ${r.run.token ? (where(cred?.token) ?? redactToken(r.run.token)) : '(none)'}`,
    `  admin:      ${r.run.adminHeaders ? Object.keys(r.run.adminHeaders).map((k, i) => `${k} (${where(cred?.adminHeaders?.[i]) ?? redactToken(r.run.adminHeaders![k])})`).join(', ') : '(none)'}`,
    `  baseline:   ${r.baselineFile ? `${r.baselineFile} (${baseline!.entries.length} entries)` : '(none)'}`,
  ];
  for (const e of baseline?.entries ?? []) lines.push(`    ${e.id} expect ${e.expect}${e.fingerprint ? ` fingerprint ${e.fingerprint}` : ''}${e.expires ? ` expires ${e.expires}` : ''}: ${e.reason}`);
  lines.push(
    `  scan:       ${scanRoots.length ? scanRoots.join(', ') : '(none)'}${history.history ? ` + last ${history.history} commits (shallow clone: ${history.shallow})` : ''}${baseline?.tree?.length ? ` · ${baseline.tree.length} baselined tree findings` : ''}${r.config.scan?.privateMarkers?.length ? ` · ${r.config.scan.privateMarkers.length} private markers` : ''}`,
    `  deployment: ${deployment.files.length ? deployment.files.join(', ') : deployment.live ? (r.run.url !== undefined && !r.admin ? 'live admin plane, but none to read without --admin-header (skipped)' : 'live admin plane') : '(off)'} · max window ${deployment.maxWindowHours} h${deployment.fail.length ? ` · also failing: ${deployment.fail.join(', ')}` : ''}`,
    `  reports:    ${r.reporters.join(',')} → ${r.out}`,
  );
  return `${lines.join('\n')}\n`;
}

/** `--history N` wins over the config's commits; the config's `history` is a number or { commits, shallow }. */
function historyOf(flag: number | undefined, config: ScanConfig['history']): { history: number; shallow: ShallowPolicy } {
  const cfg = typeof config === 'number' ? { commits: config } : (config ?? {});
  return { history: flag ?? cfg.commits ?? 0, shallow: cfg.shallow ?? 'warn' };
}

function gateCommand(program: Command, io: CommandIo): void {
  const cmd = tableOptions(program
    .command('gate')
    .summary('CI release gate: profile verdict, baseline, release-tree and deployment scans')
    .description('run the release gate: scan the release tree for secrets, scan the deployment configuration, run the profile at the declared safety, apply the baseline of known failures; one verdict')
    .argument('[url]', 'base URL of the server; omit to gate against the embedded reference runtime', parseTargetUrl)
    .option('--config <file>', `gate configuration (YAML; default ${DEFAULT_CONFIG_FILE} when present)`)
    .option('--baseline <file>', `baseline of known failures (default ${DEFAULT_BASELINE_FILE} when present)`)
    .option('--scan <dir>', 'release tree to scan for secrets (repeatable; git-tracked files when in a work tree)', collect)
    .option('--history <n>', 'also scan the file versions the last n commits added or changed, and those they replaced or deleted (needs full history: fetch-depth 0)', (v) => integer(v, 0, 1000, 'a number of commits'))
    .option('--deployment <file>', 'exported deployment (JSON/YAML) to scan instead of the live admin plane (repeatable)', collect)
    .option('--max-window-hours <h>', 'longest acceptable auto-execute window (default 24)', (v) => integer(v, 1, 100_000, 'a number of hours'))
    .option('--fail-on <id>', 'a warning rule of the deployment scan that fails the gate too, e.g. GATE-004 (repeatable)', gateRule), 'gate');
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform gate                                           # embedded reference runtime, no config
  $ openport-conform gate --scan . --baseline openport-baseline.yaml
  $ openport-conform gate https://openport.example.com --config openport-gate.yaml --safety read-only
  $ openport-conform gate --shard 2/3 --out shard-2 && openport-conform merge shard-*/report.json

Exit codes:
  0  gate passed (with --only/--exclude or --shard: GATE: SELECTION PASSED, a subset)
  1  gate failed (a failure not in the baseline, a stale baseline entry, a scan finding)
  2  usage or configuration error    3  could not evaluate`,
    )
    .action(async (url: string | undefined, flags: GateFlags) => {
      const r = resolve(cmd, io, url, flags, await loadChecks(io));
      const baseline = r.baselineFile ? loadBaseline(r.baselineFile) : undefined;
      const scanCfg = r.config.scan ?? {};
      const scanRoots = r.own.scan ?? [];
      const deployment = {
        files: r.own.deployment ?? [],
        live: r.config.deployment?.live ?? true,
        liveRequired: r.config.deployment?.live === true,
        maxWindowHours: r.own.maxWindowHours ?? 24,
        fail: r.own.failOn ?? [],
      };
      const stream = io.stdout;
      stream.write(describe(r, baseline, scanRoots, historyOf(flags.history, scanCfg.history), deployment));
      makeOutDir(r.out);
      // The profile step keeps the evidence journal like `run` does (the final ENV checks read it back).
      r.run.journal = { file: join(r.out, JOURNAL_FILE), maxBytes: r.values.journalMaxBytes };
      const color = useColor(stream, io.env);
      // SARIF, JUnit and summary.md tell the whole gate's story (its scans, its verdict first): the gate writes them.
      const GATE_WRITTEN = ['junit', 'markdown', 'sarif'] as const satisfies readonly ReporterName[];
      const reporters = createReporters(r.reporters.filter((n) => !(GATE_WRITTEN as readonly string[]).includes(n)), { stream, color });
      // Against a URL with admin headers (the run creates apps there) the run's marker is chosen here, so that a
      // second signal can name it.
      const marker = r.admin ? runMarker() : undefined;
      const interrupt = interruptible(io, undefined, marker);
      const run: RunOptions = { seed: GATE_SEED, ...r.run, ...(marker === undefined ? {} : { marker }), signal: interrupt.signal };
      // report.json is rewritten as results come, as `run` does: a job killed outright still leaves its results
      // and the marker of the apps it created.
      const startedAt = new Date();
      // As a gate's report (judged against its baseline, with the profile the run chose), so that merge takes a
      // killed shard's report as the incomplete piece it is.
      let profile: string | undefined;
      const progress = new ProgressFile(join(r.out, 'report.json'), (results) => {
        const soFar = inProgressReport({ ...run, profile: profile ?? run.profile }, startedAt, results);
        return { ...soFar, gate: gateReading(soFar, r.baselineFile ?? null) };
      }, r.secrets);
      interrupt.signal.addEventListener('abort', () => progress.flush(), { once: true });
      try {
        const g = await runGate({
          run,
          baseline: baseline && r.baselineFile ? { file: r.baselineFile, data: baseline } : undefined,
          scan: { ...scanCfg, ...historyOf(flags.history, scanCfg.history), roots: scanRoots },
          deployment,
          onEvent: (e) => {
            dispatch(reporters, e);
            if (e.type === 'start') profile = e.profile;
            if (e.type === 'result') progress.add(e.result);
          },
        });
        progress.close();
        const write = async (name: string, text: string) => {
          const file = join(r.out, name);
          await writeFileAtomic(file, redactSecrets(text, r.secrets));
          return file;
        };
        const files = [await write('gate.json', renderGateJson(g)), await write('gate.md', renderGateMarkdown(g))];
        // After the run's reporters: they remove report files of earlier runs that this run did not write.
        if (g.profile) files.push(...(await endReporters(reporters, g.profile, { outDir: r.out, stream, secrets: r.secrets })));
        // Under the file names the reporters would have used.
        const rendered: Record<(typeof GATE_WRITTEN)[number], (g: GateReport) => string> = { sarif: renderGateSarif, junit: renderGateJunit, markdown: renderGateMarkdown };
        for (const name of GATE_WRITTEN.filter((n) => r.reporters.includes(n))) files.push(await write(REPORTERS[name]().file!, rendered[name](g)));
        const c = new Chalk({ level: color ? 1 : 0 });
        stream.write(redactSecrets(renderGateText(g, { ok: c.green, bad: c.red, dim: c.dim }), r.secrets));
        stream.write(`gate reports: ${files.join(', ')}\n`);
        io.setExit(g.exitCode);
        if (g.profile) throwIfJournalFailed(g.profile, 'gate');
      } catch (e) {
        throw withoutSecrets(e, r.secrets);
      } finally {
        progress.close();
        interrupt.dispose();
      }
    });
}

function baselineCommand(program: Command, io: CommandIo): void {
  const group = program.command('baseline').description('manage the baseline of known failures (openport-baseline.yaml)');
  const cmd = tableOptions(group
    .command('update')
    .description('write or refresh the baseline from a run (or from a report.json), keeping reasons, links and expiry dates; the run leaves its reports in --out')
    .argument('[url]', 'base URL of the server; omit for the embedded reference runtime', parseTargetUrl)
    .option('--config <file>', `gate configuration (default ${DEFAULT_CONFIG_FILE} when present)`)
    .option('--baseline <file>', `the baseline file to write (default ${DEFAULT_BASELINE_FILE})`)
    .option('--from <report>', 'take the results from this report.json instead of running the profile'), 'gate');
  cmd
    .addHelpText('after', `
Examples:
  $ openport-conform baseline update --fault authn-revocation-cache
  $ openport-conform baseline update --from openport-report/report.json --baseline openport-baseline.yaml`)
    .action(async (url: string | undefined, flags: GateFlags & { from?: string }) => {
      const r = resolve(cmd, io, url, flags, await loadChecks(io));
      const file = r.baselineFile ?? DEFAULT_BASELINE_FILE;
      const previous = existsSync(file) ? loadBaseline(file, { placeholders: true }) : undefined;
      let results;
      let ran: RunReport | undefined;
      if (flags.from) results = loadReport(flags.from).results;
      else {
        // The run the baseline is taken from leaves its reports in --out, like any run.
        const { run } = await import('../runner/run.js');
        makeOutDir(r.out);
        const stream = io.stdout;
        const reporters = createReporters(r.reporters, { stream, color: useColor(stream, io.env) });
        const journal = { file: join(r.out, JOURNAL_FILE), maxBytes: r.values.journalMaxBytes };
        const report = await run({ ...r.run, journal, onEvent: (e) => dispatch(reporters, e) }).catch((e: unknown) => {
          throw withoutSecrets(e, r.secrets);
        });
        await endReporters(reporters, report, { outDir: r.out, stream, secrets: r.secrets });
        ran = report;
        results = report.results;
      }
      const { baseline: refreshed, migrated, untouched } = updateBaseline(results, previous);
      // Tree entries are written by hand (file, rule, fingerprint, reason); a refresh keeps them as they are.
      const next = { ...refreshed, ...(previous?.tree ? { tree: previous.tree } : {}) };
      await writeFileAtomic(file, redactSecrets(renderBaseline(next), r.secrets));
      const todo = next.entries.filter((e) => e.reason === PLACEHOLDER_REASON).length;
      const dropped = (previous?.entries ?? []).filter((p) => !next.entries.some((e) => e.id === p.id)).map((p) => p.id);
      const moved = migrated > 0 ? `; migrated ${migrated} old-style fingerprint${migrated === 1 ? '' : 's'} to the field-based form` : '';
      const kept = untouched.length ? `; kept ${untouched.join(', ')} as they were: this run did not evaluate their checks` : '';
      io.stdout.write(`wrote ${file}: ${next.entries.length} entries (${todo} need a reason${dropped.length ? `; dropped ${dropped.join(', ')}` : ''}${kept}${moved})\n`);
      io.setExit(0);
      // The baseline is written; a journal the disk refused still ends the command with exit 2, naming it.
      if (ran) throwIfJournalFailed(ran, 'baseline update');
    });
}

function mergeCommand(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('merge')
    .description('combine shard reports (report.json of --shard runs) into one report, in each format --reporter names, with the verdict over the whole')
    .argument('<reports...>', 'report.json files of the shards'), 'merge')
    .addHelpText('after', `
Examples:
  $ openport-conform merge shard-1/report.json shard-2/report.json shard-3/report.json --reporter pretty,json,junit,sarif,markdown`)
    .action(async (files: string[], given: RunFlags) => {
      const flags = withDefaults(given, 'merge');
      const merged = mergeReports(files.map(loadReport), files);
      const stream = io.stdout;
      const names = flags.reporter!;
      if (names.some((n) => n !== 'pretty')) makeOutDir(flags.out);
      const reporters = createReporters(names, { stream, color: useColor(stream, io.env) });
      await endReporters(reporters, merged, { outDir: flags.out, stream, secrets: [] });
      // Gate shards merge into the gate's verdict, as the unsharded gate's profile step gives it.
      io.setExit(merged.gate?.exitCode ?? merged.exitCode);
    });
}

export function registerGate(program: Command, io: CommandIo): void {
  gateCommand(program, io);
  baselineCommand(program, io);
  mergeCommand(program, io);
}
