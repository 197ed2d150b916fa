/**
 * The release gate: release-tree scan, deployment safety scan, the profile verdict at a declared safety,
 * and the baseline of known failures, combined into one verdict a CI system can act on. Checks run only
 * through the engine; the gate consumes the result model. It returns data; the CLI prints and exits.
 */
import { ToolError } from '../kit/check.js';
import { TOOL_VERSION } from '../kit/paths.js';
import type { RunEvent, RunReport } from '../runner/result.js';
import { RUN_OPTIONS } from '../runner/options.js';
import { loadProfile } from '../runner/profiles.js';
import type { RunOptions } from '../runner/run.js';
import { unevaluatedReport } from '../runner/unevaluated.js';
import { GATE_VERDICT_OF, gateReading, profileVerdict, reportVerdict, VERDICT_TEXT, withGateSteps, type GateVerdict, type VerdictOutcome } from '../runner/verdict.js';
import { applyBaseline, type Baseline, type BaselineEntry } from './baseline.js';
import { loadDeploymentFile, readLiveDeployment, scanDeployment, type Deployment, type DeploymentFinding } from './deployment.js';
import { DEFAULT_MAX_FILE_BYTES, scanTree, type ScanOptions, type TreeScanResult } from './tree-scan.js';

export type StepName = 'release-tree' | 'deployment' | 'profile' | 'baseline';
export type StepStatus = 'pass' | 'fail' | 'error' | 'skipped';
/** 'selection-passed': every step passed, but the profile step ran a subset (--only/--exclude or a shard), as `run` says. */
export type { GateVerdict };

export interface GateStep {
  name: StepName;
  status: StepStatus;
  counts: Record<string, number>;
  /** One line: what was judged and the outcome. */
  summary: string;
}

export interface GateReport {
  tool: { name: 'openport-conform'; version: string };
  verdict: GateVerdict;
  exitCode: 0 | 1 | 3;
  startedAt: string;
  finishedAt: string;
  steps: GateStep[];
  /** The profile run as the gate judged it (`gate` set), its baselined failures carrying `suppression`. */
  profile?: RunReport;
  baseline?: { file: string; suppressed: number; stale: BaselineEntry[]; expired: BaselineEntry[]; unmatched: BaselineEntry[]; otherShards: BaselineEntry[]; unlisted: string[]; legacy: BaselineEntry[] };
  tree?: TreeScanResult;
  deployment?: { sources: string[]; apps: number; tools: number; findings: DeploymentFinding[] };
}

export interface GateOptions {
  /** What the profile step runs (url absent: the embedded reference runtime). */
  run: RunOptions;
  baseline?: { file: string; data: Baseline };
  /** Release-tree scan; absent or no roots: the step is skipped. */
  scan?: ScanOptions;
  /** `liveRequired`: the configuration set `live: true` itself, so a gate that cannot read the admin plane is incomplete, not skipped. */
  deployment: { files: string[]; live: boolean; liveRequired?: boolean; maxWindowHours?: number; fail?: string[] };
  now?: Date;
  onEvent?: (e: RunEvent) => void;
}

/** Seed of the profile step unless configured (the gate's --seed default in the option table): fixed, so fuzz findings compare with the baseline. */
export const GATE_SEED = RUN_OPTIONS.seed.per!.gate!.default!;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const bytesText = (b: number) => (b % 1_048_576 === 0 ? `${b / 1_048_576} MiB` : `${Math.round(b / 1024)} KiB`);

async function treeStep(scan: ScanOptions | undefined): Promise<{ step: GateStep; tree?: TreeScanResult }> {
  if (!scan || scan.roots.length === 0) return { step: { name: 'release-tree', status: 'skipped', counts: {}, summary: 'no --scan DIR given' } };
  const tree = await scanTree(scan);
  const open = tree.findings.filter((f) => !f.suppression);
  const baselined = tree.findings.length - open.length;
  const stale = tree.baseline?.stale.length ?? 0;
  const skipped = tree.skipped.binary + tree.skipped.huge + tree.skipped.unreadable;
  const counts = {
    files: tree.files,
    versions: tree.versions,
    findings: open.length,
    baselined,
    allowedInline: tree.allowed.length,
    staleEntries: stale,
    symlinks: tree.symlinks.length,
    skippedBinary: tree.skipped.binary,
    skippedHuge: tree.skipped.huge,
    skippedUnreadable: tree.skipped.unreadable,
    cut: tree.cut.length,
  };
  const commits = tree.history.reduce((n, h) => n + h.commits, 0);
  const parts = [
    `${plural(tree.files, 'file')} scanned`,
    ...(tree.history.length ? [`${plural(tree.versions, 'earlier file version')} from ${plural(commits, 'commit')} of history${tree.history.some((h) => h.shallow) ? ' (shallow clone)' : ''}`] : []),
  ];
  const cut = tree.cut.length ? `; ${tree.cut.length} over the size cap, scanned in their first ${bytesText(scan.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES)} only: ${tree.cut.slice(0, 5).join(', ')}${tree.cut.length > 5 ? ', …' : ''}` : '';
  const skippedText = `${skipped > 0 ? ` (${skipped} skipped: ${tree.skipped.binary} binary (judged by name only), ${tree.skipped.huge} too large, ${tree.skipped.unreadable} unreadable)` : ''}${cut}`;
  const accepted = [baselined ? `${baselined} baselined` : '', tree.allowed.length ? `${tree.allowed.length} allowed inline` : ''].filter(Boolean);
  const notes = [
    ...(stale ? [`${plural(stale, 'stale baseline entry')} (remove ${stale === 1 ? 'it' : 'them'})`] : []),
    ...(tree.symlinks.length ? [`${plural(tree.symlinks.length, 'symlink')} not followed`] : []),
    ...tree.errors,
    ...tree.warnings.map((w) => `warning: ${w}`),
  ];
  return {
    tree,
    step: {
      name: 'release-tree',
      // Nothing scanned is no evidence of a clean tree (a vacuous pass is never a pass); nor is history a
      // shallow clone hid when the config says that must not pass.
      status: open.length > 0 || stale > 0 ? 'fail' : tree.files === 0 || tree.errors.length > 0 ? 'error' : 'pass',
      counts,
      summary: `${tree.roots.join(', ')}: ${parts.join(' + ')}${skippedText}, ${plural(open.length, 'finding')}${accepted.length ? ` (${accepted.join(', ')})` : ''}${notes.length ? `; ${notes.join('; ')}` : ''}`,
    },
  };
}

async function deploymentStep(opts: GateOptions): Promise<{ step: GateStep; deployment?: GateReport['deployment'] }> {
  const d = opts.deployment;
  const deployments: { dep: Deployment; locate?: ReturnType<typeof loadDeploymentFile>['locate'] }[] = d.files.map((f) => {
    const loaded = loadDeploymentFile(f);
    return { dep: loaded.deployment, locate: loaded.locate };
  });
  const canReadLive = opts.run.url === undefined || Object.keys(opts.run.adminHeaders ?? {}).length > 0;
  if (d.files.length === 0 && d.live && canReadLive) {
    try {
      deployments.push({ dep: await readLiveDeployment(opts.run.url, opts.run.adminHeaders, opts.run.timeoutMs, { faults: opts.run.faults, domain: opts.run.domain }) });
    } catch (e) {
      if (e instanceof ToolError && e.exitCode === 2) throw e;
      return { step: { name: 'deployment', status: 'error', counts: {}, summary: `could not read the deployment: ${(e as Error).message}` } };
    }
  }
  if (deployments.length === 0) {
    if (d.live && d.liveRequired) return { step: { name: 'deployment', status: 'error', counts: {}, summary: 'deployment.live is true, but there is no admin plane to read (give --admin-header) and no --deployment FILE' } };
    const why = d.live ? 'no admin plane to read (give --admin-header) and no --deployment FILE' : 'live reading is off and no --deployment FILE';
    return { step: { name: 'deployment', status: 'skipped', counts: {}, summary: why } };
  }
  const findings: DeploymentFinding[] = [];
  for (const { dep, locate } of deployments) {
    for (const f of scanDeployment(dep, { maxWindowHours: d.maxWindowHours, fail: d.fail, now: opts.now })) {
      const pos = locate?.(f.path);
      findings.push(pos ? { ...f, line: pos.line, column: pos.col } : f);
    }
  }
  const active = deployments.flatMap((x) => x.dep.apps).filter((a) => a.status !== 'revoked');
  const tools = new Set(active.flatMap((a) => (a.tools ?? []).map((t: { name?: unknown }) => String(t?.name))));
  const failures = findings.filter((f) => f.status === 'fail').length;
  const warnings = findings.length - failures;
  return {
    deployment: { sources: deployments.map((x) => x.dep.source), apps: active.length, tools: tools.size, findings },
    step: {
      name: 'deployment',
      status: failures > 0 ? 'fail' : 'pass',
      counts: { apps: active.length, tools: tools.size, failures, warnings },
      summary: `${deployments.map((x) => (x.dep.source === 'embedded:' ? 'embedded runtime' : x.dep.source)).join(', ')}: ${plural(active.length, 'active app')}, ${plural(tools.size, 'tool')}, ${plural(failures, 'failure')}, ${plural(warnings, 'warning')}`,
    },
  };
}

/**
 * The profile verdict at the declared safety, as verdictOf gives it for the gate's reading: checks above
 * the safety were not run and do not make the gate incomplete (a read-only gate is the production-safe gate,
 * and it says so); baselined failures count as accepted; a subset is a selection, never "every MUST passed".
 */
export function profileStep(report: RunReport, v: VerdictOutcome): GateStep {
  const s = report.summary;
  const suppressed = report.results.filter((r) => r.suppression).length;
  const counts = { total: s.total, pass: s.pass, fail: s.fail, warn: s.warn, skip: s.skip, blocked: s.blocked, error: s.error, heldBack: s.heldBack, baselined: suppressed };
  const parts = (['pass', 'fail', 'warn', 'skip', 'blocked', 'error'] as const).filter((k) => k === 'pass' || s[k] > 0).map((k) => `${s[k]} ${k}`);
  const held = s.heldBack > 0 ? `; ${s.heldBack} checks above ${report.safety} not run — this gate covers checks at or below ${report.safety} only` : '';
  const base = suppressed > 0 ? ` (${suppressed} baselined)` : '';
  const status: StepStatus = v.exitCode === 0 ? 'pass' : v.exitCode === 1 ? 'fail' : 'error';
  const verdictText =
    v.verdict === 'conformant'
      ? `every MUST at or below ${report.safety} passed${suppressed > 0 ? ' or is accepted by the baseline' : ''}`
    : v.verdict === 'selection-passed' ? VERDICT_TEXT['selection-passed']
    : v.verdict === 'not-conformant' ? 'failures not in the baseline'
    : (v.reason ?? 'a MUST check could not be evaluated');
  if (report.toolError !== undefined) return { name: 'profile', status, counts, summary: `could not evaluate: ${report.toolError}` };
  return { name: 'profile', status, counts, summary: `${report.profile} at safety ${report.safety}${report.shard ? ` (shard ${report.shard.index}/${report.shard.count})` : ''}: ${parts.join(', ')}${base}${held}; ${verdictText}` };
}

/**
 * The gate's verdict (withGateSteps, as every report of the gate words it): any failed step fails it, any
 * step in error leaves it incomplete; a passing subset is a selection.
 */
export function gateVerdict(steps: readonly GateStep[], profile?: VerdictOutcome): { verdict: GateVerdict; exitCode: 0 | 1 | 3 } {
  const v = withGateSteps(profile, otherSteps(steps));
  return { verdict: GATE_VERDICT_OF[v.verdict], exitCode: v.exitCode };
}

/** The steps besides the profile step, as report.json records them. */
const otherSteps = (steps: readonly GateStep[]) => steps.filter((s) => s.name !== 'profile').map(({ name, status }) => ({ name, status }));

export async function runGate(opts: GateOptions): Promise<GateReport> {
  const startedAt = new Date().toISOString();
  const steps: GateStep[] = [];
  const out: Partial<GateReport> = {};

  // The baseline's tree: entries are judged by the release-tree step, against the files it scanned.
  const tree = await treeStep(opts.scan && { ...opts.scan, baseline: opts.scan.baseline ?? opts.baseline?.data.tree, now: opts.scan.now ?? opts.now });
  steps.push(tree.step);
  if (tree.tree) out.tree = tree.tree;

  const dep = await deploymentStep(opts);
  steps.push(dep.step);
  if (dep.deployment) out.deployment = dep.deployment;

  const { run } = await import('../runner/run.js');
  let report: RunReport | undefined;
  const runStarted = new Date();
  try {
    report = await run({ seed: GATE_SEED, ...opts.run, onEvent: opts.onEvent });
  } catch (e) {
    if (!(e instanceof ToolError) || e.exitCode === 2) throw e;
    // Stopped before the first check: still a report (every requested file is written, as `run` writes them), with the reason.
    report = unevaluatedReport({ seed: GATE_SEED, ...opts.run }, e, runStarted);
  }
  let judged: VerdictOutcome | undefined;
  if (report) {
    const shard = report.shard && { ...report.shard, profile: loadProfile(report.profile).requirements.map((r) => r.id) };
    const applied = opts.baseline ? applyBaseline(report.results, opts.baseline.data, opts.now, shard) : undefined;
    const base: RunReport = { ...report, results: applied?.results ?? report.results };
    // report.json keeps the profile verdict as `run` gives it and states the gate's reading beside it.
    const profile = profileVerdict(base);
    const gated: RunReport = { ...base, verdict: profile.verdict, exitCode: profile.exitCode, gate: gateReading(base, opts.baseline?.file ?? null) };
    // The profile step's own reading; the gate's verdict in report.json adds the other steps below.
    judged = reportVerdict(gated);
    out.profile = gated;
    steps.push(profileStep(gated, judged));
    if (opts.baseline && applied) {
      const { stale, expired, unmatched, otherShards, suppressed, unlisted, legacy } = applied;
      out.baseline = { file: opts.baseline.file, suppressed, stale, expired, unmatched, otherShards, unlisted: unlisted.map((r) => r.id), legacy };
      const old = legacy.length > 0 ? `, ${legacy.length} matched by an old-style fingerprint (run \`openport-conform baseline update\` to migrate)` : '';
      // Its release-tree entries are the tree scan's to apply, and counted in that step: named here so that a file
      // of tree entries alone does not read as an empty baseline.
      const trees = opts.baseline.data.tree?.length ?? 0;
      const tree = trees > 0 ? ` (and ${trees} release-tree ${trees === 1 ? 'entry' : 'entries'}, applied by the tree scan)` : '';
      steps.push({
        name: 'baseline',
        status: stale.length > 0 ? 'fail' : 'pass',
        counts: { entries: opts.baseline.data.entries.length, suppressed, stale: stale.length, expired: expired.length, unmatched: unmatched.length, otherShards: otherShards.length, legacy: legacy.length },
        summary: `${opts.baseline.file}: ${opts.baseline.data.entries.length} ${opts.baseline.data.entries.length === 1 ? 'entry' : 'entries'}${tree}, ${suppressed} suppressed, ${stale.length} stale${stale.length ? ' (remove them)' : ''}, ${expired.length} expired, ${unmatched.length} matched nothing${shard ? `, ${otherShards.length} not in this shard` : ''}${old}`,
      });
    }
  }
  if (!opts.baseline) steps.push({ name: 'baseline', status: 'skipped', counts: {}, summary: 'no baseline' });

  if (out.profile) out.profile = { ...out.profile, gate: gateReading(out.profile, opts.baseline?.file ?? null, otherSteps(steps)) };
  const { verdict, exitCode } = gateVerdict(steps, judged);
  return { tool: { name: 'openport-conform', version: TOOL_VERSION }, verdict, exitCode, startedAt, finishedAt: new Date().toISOString(), steps, ...out };
}
