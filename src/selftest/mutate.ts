/**
 * Mutation score, measured against the specification: run a profile against the embedded runtime once clean,
 * and beside it once per injected fault with only the checks that judge the clauses of the brief the fault
 * breaks (src/protocol/clauses.ts), on worker threads when MutateOptions.threads says so. A fault is killed
 * when one of those checks fails (or warns, for a SHOULD); a clause is covered when some fault naming it is
 * killed by one of that clause's own requirements.
 * The suite is sensitive only if the clean run passes and every fault is killed. Clauses of the release gate
 * (GATE.deploy.*, GATE.tree.*) are judged by its scans of the deployed configuration and of the release tree,
 * handed in like the checks: their faults are killed when the scan of an embedded runtime carrying them fails
 * the clause's rule.
 *
 * Blanking (blankChecks): each check in turn replaced by one that passes without looking, against the faults
 * aimed at it. A check whose blanking lets no fault survive is one no fault needs: nothing proves it looks.
 */
import { FAULTS, faultClauses, type FaultDef } from '../runtime/faults/index.js';
import { DEFAULT_DOMAIN, type DomainName } from '../runtime/domains.js';
import { CLAUSES, type Clause } from '../protocol/clauses.js';
import { ToolError, type BindingName, type CheckDef } from '../kit/check.js';
import type { RunReport, Verdict } from '../runner/result.js';
import { parentPort, Worker } from 'node:worker_threads';
import { run, type RunOptions } from '../runner/run.js';
import { nearest } from '../runner/profiles.js';
import { resolveSelection } from '../runner/selection.js';

export interface MutantResult {
  fault: string;
  /** The clauses of the brief the fault breaks. */
  clauses: string[];
  /** The requirements its run judged it with: its clauses' requirements in the profile whose checks apply to the binding. */
  requirements: string[];
  description: string;
  /** Requirement ids that failed or warned with this fault injected. */
  failed: string[];
  /** Checks that could not evaluate (error/blocked) — a hint that the fault broke the tool's footing. */
  errored: string[];
  killed: boolean;
  /**
   * False when the fault cannot be judged on this binding (--binding mcp: every clause it breaks belongs to the
   * HTTP binding or is judged only by checks that send raw HTTP, or the defect itself is HTTP-only): the fault
   * is listed, not counted.
   */
  applies: boolean;
  durationMs: number;
}

/**
 * Clause coverage: the clauses of the brief that apply to the binding and a client can judge, and what the
 * faults made of them; the clauses beyond a client's reach are listed apart, never counted.
 */
export interface ClauseCoverage {
  /** Clauses that apply to the run's binding and a client can judge. */
  total: number;
  /** Clauses some fault naming them was killed for, by a requirement of the clause itself. */
  covered: number;
  /** Clauses no fault (of those tried) names, or only faults that cannot be reached over this binding. */
  noFault: string[];
  /** Clauses named by a fault but judged by no check of the profile on this binding: no fault can be killed for them. */
  noCheck: string[];
  /** Clauses named by faults and judged, yet no fault naming them made one of the clause's requirements fail. */
  survived: string[];
  /** Clauses that apply to the binding but no client can judge (Clause.beyondReach): outside `total`. */
  beyondReach: string[];
}

export interface MutationReport {
  profile: string;
  domain: DomainName;
  /** The agent plane's binding of every run. */
  binding: BindingName;
  seed: number;
  clean: { verdict: Verdict; failed: string[]; errored: string[]; durationMs: number };
  mutants: MutantResult[];
  /** Killed among the faults that apply to the binding (total), and those that do not apply. */
  score: { killed: number; total: number; notApplicable: number };
  coverage: ClauseCoverage;
  /** With blankChecks: every check of the profile that applies to the binding, blanked in turn. */
  blank?: BlankCheckReport;
  /** Clean run conformant and every applicable fault killed. */
  ok: boolean;
}

/** One check's blanking: the faults aimed at it, and one that survived with it blanked, if any. */
export interface BlankedCheck {
  id: string;
  /** Faults naming a clause this check judges. */
  aimed: string[];
  /** The first fault found surviving with this check passing without looking (one is enough to need the check). */
  survivor?: string;
}

export interface BlankCheckReport {
  /** In profile order. */
  checks: BlankedCheck[];
  /** The checks no fault needs: blanking them lets no fault survive (none is aimed at them, or others catch every one). */
  blankable: string[];
}

/**
 * The release gate's scans, handed in by the CLI like the checks (selftest does not import the gate): the
 * rules they judge, and the rules the deployment or the release tree of an embedded runtime with `faults`
 * breaks. The faults of gate clauses (GATE.*) are judged by them, the way the others are judged by checks.
 */
export interface DeploymentJudge {
  rules: readonly string[];
  judge(embedded: { faults: string[]; domain: DomainName }): Promise<string[]>;
}

export interface MutateOptions {
  /** The checks to judge every mutant with (the CLI passes suites/index.ts's CHECKS). */
  checks: RunOptions['checks'];
  profile?: string;
  /** Faults to try; default every fault of the runtime. */
  faults?: string[];
  seed?: number;
  /** Fault runs in flight at once on each thread judging them (each its own embedded runtime). Default 8. */
  parallel?: number;
  /** The domain of every embedded run (default demo). */
  domain?: DomainName;
  /** The agent plane's binding (default http). */
  binding?: BindingName;
  fuzz?: RunOptions['fuzz'];
  /** Also blank each check in turn against the faults aimed at it (report.blank). */
  blankChecks?: boolean;
  /** The release gate's scans; without them the gate clauses have no judge. */
  deployment?: DeploymentJudge;
  /**
   * Judge the mutants on `count` worker threads (a run is work on one thread, so on a machine with several
   * cores the matrix takes a fraction of the time), while this thread runs the clean run. Each worker runs
   * `entry`, a module that calls serveMutants with its own checks and deployment judge, the same as this
   * call's: functions do not cross threads. Absent or a count of 0: every run on this thread.
   */
  threads?: { count: number; entry: URL };
  onMutant?: (m: MutantResult, done: number, total: number) => void;
}

/**
 * What another thread judging mutants is given: the options that cross threads, and the shared counter every
 * thread takes the next fault's index from.
 */
export type MutantThreadData = Omit<MutateOptions, 'checks' | 'deployment' | 'threads' | 'onMutant' | 'blankChecks'> & { next: Int32Array };

/** What a thread judging mutants tells the calling thread: a row, and when all of its runs are done. */
type ThreadMessage = { index: number; mutant: MutantResult } | { done: true };

/**
 * The next fault's index from the counter the threads share, or -1 when none is left. Taken without a message:
 * the calling thread, busy with the clean run, which rarely yields to its event loop, would answer one late.
 */
function take(next: Int32Array, count: number): number {
  const i = Atomics.add(next, 0, 1);
  return i < count ? i : -1;
}

const failedIds = (r: RunReport) => r.results.filter((x) => x.status === 'fail' || x.status === 'warn').map((x) => x.id);
const erroredIds = (r: RunReport) => r.results.filter((x) => x.status === 'error' || x.status === 'blocked').map((x) => x.id);

/** What every mutant run shares: which requirements it can judge on its binding. */
interface Bench {
  base: RunOptions;
  binding: BindingName;
  faults: FaultDef[];
  /** Requirements of the profile. */
  inProfile: Set<string>;
  /** Requirements of the profile whose checks apply to the binding. */
  judged: Set<string>;
  /** Requirements whose checks judge another binding only (they are skipped on this one). */
  otherBinding: Set<string>;
  /** The gate's scans and their rules (judged, not run as checks). */
  deployment?: DeploymentJudge;
  deployRules: Set<string>;
  domain: DomainName;
}

function bench(opts: MutateOptions): Bench {
  const all = FAULTS.map((f) => f.name as string);
  const names = opts.faults?.length ? opts.faults : all;
  for (const n of names) {
    if (!all.includes(n)) throw new ToolError(`unknown fault "${n}"; nearest: ${nearest(n, all).join(', ')} (all: openport-conform serve --list-faults)`, 2);
  }
  const binding = opts.binding ?? 'http';
  const base: RunOptions = { checks: opts.checks, profile: opts.profile ?? 'state-witness', seed: opts.seed ?? 1, fuzz: opts.fuzz, domain: opts.domain, ...(opts.binding ? { binding: opts.binding } : {}) };
  // The profile and what it judges on this binding, as the clean run plans them (nothing is held back at the
  // embedded run's safety, and only a check of another binding is not applicable in-process), known before any
  // run: the one full-profile run, which proves the clean runtime conformant, runs beside the mutants instead
  // of before them (it is the longest run of all).
  const sel = resolveSelection({ profile: base.profile, embedded: true, checks: opts.checks, binding });
  const inProfile = new Set(sel.requirements.map((r) => r.id));
  const otherBinding = new Set(sel.planned.filter((p) => p.def.bindings !== undefined && !p.def.bindings.includes(binding)).map((p) => p.def.id));
  const deployRules = new Set(opts.deployment?.rules ?? []);
  const judged = new Set([...[...inProfile].filter((id) => !otherBinding.has(id)), ...deployRules]);
  return {
    base: { ...base, profile: sel.profile.name }, binding, faults: names.map((n) => FAULTS.find((f) => f.name === n)!), inProfile, judged, otherBinding,
    ...(opts.deployment ? { deployment: opts.deployment } : {}), deployRules, domain: opts.domain ?? DEFAULT_DOMAIN,
  };
}

const clauseApplies = (c: Clause, binding: BindingName) => !c.bindings || (c.bindings as readonly string[]).includes(binding);

/** A clause's requirements this bench can judge. */
const judgedBy = (c: Clause, b: Bench) => c.requirements.filter((id) => b.judged.has(id));

/**
 * The requirements a fault's run is judged with, or null when none of its clauses can be judged on this
 * binding at all (every requirement they name is checked on another binding only).
 */
function mutantScope(f: FaultDef, b: Bench): { clauses: Clause[]; requirements: string[] } | null {
  if (f.bindings && !(f.bindings as readonly string[]).includes(b.binding)) return null;
  const clauses = faultClauses(f).filter((c) => clauseApplies(c, b.binding));
  const named = clauses.flatMap((c) => c.requirements).filter((id) => b.inProfile.has(id));
  if (clauses.length === 0 || (named.length > 0 && named.every((id) => b.otherBinding.has(id)))) return null;
  return { clauses, requirements: [...new Set(clauses.flatMap((c) => judgedBy(c, b)))] };
}

/** The deployment rules of `rules` that the deployment of an embedded runtime with `faults` breaks. */
async function judgeDeployment(b: Bench, faults: string[], rules: readonly string[]): Promise<{ failed: string[]; durationMs: number }> {
  if (!b.deployment || rules.length === 0) return { failed: [], durationMs: 0 };
  const started = performance.now();
  const broken = await b.deployment.judge({ faults, domain: b.domain });
  return { failed: rules.filter((id) => broken.includes(id)), durationMs: performance.now() - started };
}

/** One fault injected, only `requirements` run (with `checks`, default the bench's); deployment rules among them are judged by the scan. */
async function runMutant(b: Bench, f: FaultDef, requirements: string[], checks?: readonly CheckDef[]): Promise<{ failed: string[]; errored: string[]; durationMs: number }> {
  const only = requirements.filter((id) => !b.deployRules.has(id));
  const deployed = await judgeDeployment(b, [f.name], requirements.filter((id) => b.deployRules.has(id)));
  // Nothing to run: a fault of clauses no check judges cannot be killed, and is not.
  if (only.length === 0) return { failed: deployed.failed, errored: [], durationMs: deployed.durationMs };
  const report = await run({ ...b.base, ...(checks ? { checks } : {}), only, faults: [f.name] });
  return { failed: [...failedIds(report), ...deployed.failed], errored: erroredIds(report), durationMs: report.durationMs + deployed.durationMs };
}

/** `parallel` (default 8) copies of `loop` at once. */
const inFlight = async (parallel: number | undefined, loop: () => Promise<void>): Promise<void> => {
  await Promise.all(Array.from({ length: Math.max(1, parallel ?? 8) }, loop));
};

function clauseCoverage(b: Bench, mutants: readonly MutantResult[]): ClauseCoverage {
  const cov: ClauseCoverage = { total: 0, covered: 0, noFault: [], noCheck: [], survived: [], beyondReach: [] };
  for (const c of CLAUSES) {
    if (!clauseApplies(c, b.binding)) continue;
    if (c.beyondReach !== undefined) {
      cov.beyondReach.push(c.id);
      continue;
    }
    cov.total++;
    const named = mutants.some((m) => m.clauses.includes(c.id));
    const naming = mutants.filter((m) => m.applies && m.clauses.includes(c.id));
    const judged = judgedBy(c, b);
    if (named && judged.length === 0) cov.noCheck.push(c.id);
    else if (naming.length === 0) cov.noFault.push(c.id);
    else if (naming.some((m) => m.failed.some((id) => judged.includes(id)))) cov.covered++;
    else cov.survived.push(c.id);
  }
  return cov;
}

/** One fault's row of the matrix: its run with the checks of the clauses it breaks, or not applicable. */
async function judgeMutant(b: Bench, f: FaultDef): Promise<MutantResult> {
  const scope = mutantScope(f, b);
  const requirements = scope?.requirements ?? [];
  const r = scope ? await runMutant(b, f, requirements) : { failed: [], errored: [], durationMs: 0 };
  return {
    fault: f.name,
    clauses: [...f.clauses],
    requirements,
    description: f.description,
    ...r,
    killed: r.failed.some((id) => requirements.includes(id)),
    applies: scope !== null,
  };
}

/** Judges the faults taken from `next`, one after another, until none is left; `settle` gets each row. */
async function judgeTaken(b: Bench, next: Int32Array, settle: (i: number, m: MutantResult) => void): Promise<void> {
  for (let i = take(next, b.faults.length); i !== -1; i = take(next, b.faults.length)) settle(i, await judgeMutant(b, b.faults[i]!));
}

/**
 * Every fault judged, on the worker threads of opts.threads or else on this one, `parallel` runs in flight on
 * each: each run takes the next fault when it starts, so a thread with longer runs simply takes fewer. The rows
 * keep the order of the faults.
 */
async function judgeAll(b: Bench, opts: MutateOptions): Promise<MutantResult[]> {
  const mutants: MutantResult[] = new Array(b.faults.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const count = b.faults.length;
  let done = 0;
  const settle = (i: number, m: MutantResult) => {
    mutants[i] = m;
    opts.onMutant?.(m, ++done, count);
  };
  // Every option but the functions and those only this thread acts on, so that a new option reaches the threads too.
  const { checks: _checks, deployment: _deployment, threads: spread, onMutant: _onMutant, blankChecks: _blank, ...crossing } = opts;
  const data: MutantThreadData = { ...crossing, next };
  const workers: Worker[] = [];
  const finished: Promise<void>[] = [];
  try {
    for (let t = 0; t < Math.min(spread?.count ?? 0, count); t++) {
      // No flags of this process (`--cpu-prof`, a test runner's): they are not the thread's.
      const worker = new Worker(spread!.entry, { workerData: data, execArgv: [] });
      workers.push(worker);
      finished.push(new Promise<void>((resolve, reject) => {
        worker.on('message', (m: ThreadMessage) => {
          try {
            if ('done' in m) resolve();
            else settle(m.index, m.mutant);
          } catch (e) {
            reject(e);
          }
        });
        worker.on('error', (e) => reject(new Error(`a thread judging mutants failed: ${e.message}`, { cause: e })));
        worker.on('exit', (code) => reject(new Error(`a thread judging mutants stopped (exit code ${code}) before every fault was judged`)));
      }));
    }
    await (workers.length > 0 ? Promise.all(finished) : inFlight(opts.parallel, () => judgeTaken(b, next, settle)));
  } catch (e) {
    // Nothing more is taken: the error ends the matrix.
    Atomics.store(next, 0, count);
    throw e;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return mutants;
}

/**
 * The other side of MutateOptions.threads, in a thread's entry module: judges faults, each taken from the counter
 * the threads share, until none is left, with `opts` (the caller's workerData, with this thread's checks and
 * deployment judge), and posts each row to the calling thread.
 */
export async function serveMutants(opts: MutateOptions & Pick<MutantThreadData, 'next'>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveMutants runs in a thread started by mutate (MutateOptions.threads)');
  const b = bench(opts);
  const { next } = opts;
  await inFlight(opts.parallel, () => judgeTaken(b, next, (index, mutant) => port.postMessage({ index, mutant } satisfies ThreadMessage)));
  port.postMessage({ done: true } satisfies ThreadMessage);
}

export async function mutate(opts: MutateOptions): Promise<MutationReport> {
  const b = bench(opts);
  // The clean run beside the mutants (each is a run of its own embedded runtime). Both are awaited to their end, so
  // that nothing is left running once this returns or throws (the matrix's error first, where both failed).
  const [cleanRun, judged] = await Promise.allSettled([run(b.base), judgeAll(b, opts)]);
  if (judged.status === 'rejected') throw judged.reason;
  if (cleanRun.status === 'rejected') throw cleanRun.reason;
  const clean = cleanRun.value;
  const mutants = judged.value;
  // The scope every row was judged in, decided before the clean run (bench), is the clean run's own.
  const planned = clean.results.map((r) => r.id);
  const inapplicable = clean.binding?.notApplicable ?? [];
  if (planned.join() !== [...b.inProfile].join() || [...inapplicable].sort().join() !== [...b.otherBinding].sort().join()) {
    throw new Error(`the clean run's requirements (${planned.length}, ${inapplicable.length} not applicable) differ from those the faults were judged in (${b.inProfile.size}, ${b.otherBinding.size} not applicable)`);
  }
  const counted = mutants.filter((m) => m.applies);
  const killed = counted.filter((m) => m.killed).length;
  const blank = opts.blankChecks ? await blankChecks(b, opts.parallel) : undefined;
  // The clean runtime's deployment passes the rules the scan judges, as its run passes the checks.
  const cleanDeployment = await judgeDeployment(b, [], [...b.deployRules]);
  return {
    profile: clean.profile,
    domain: opts.domain ?? DEFAULT_DOMAIN,
    binding: b.binding,
    seed: clean.seed,
    clean: { verdict: clean.verdict, failed: [...failedIds(clean), ...cleanDeployment.failed], errored: erroredIds(clean), durationMs: clean.durationMs },
    mutants,
    score: { killed, total: counted.length, notApplicable: mutants.length - counted.length },
    coverage: clauseCoverage(b, mutants),
    ...(blank ? { blank } : {}),
    // Faults that were selected but none of which this binding judges: nothing was tested, which is no OK.
    ok: clean.verdict === 'conformant' && cleanDeployment.failed.length === 0 && killed === counted.length && (counted.length > 0 || mutants.length === 0),
  };
}

/** A check that passes without sending a request or looking at anything. */
const blanked = (def: CheckDef): CheckDef => ({ ...def, run: async () => undefined });

/**
 * Blanks each check of the profile in turn and runs the faults aimed at it (those naming a clause it judges),
 * each with only its own requirements; stops at the first survivor, which already shows the check is needed.
 */
async function blankChecks(b: Bench, parallel: number | undefined): Promise<BlankCheckReport> {
  const scopes = new Map(b.faults.map((f) => [f, mutantScope(f, b)] as const));
  const ids = [...b.inProfile].filter((id) => b.judged.has(id));
  const checks: BlankedCheck[] = ids.map((id) => ({ id, aimed: b.faults.filter((f) => scopes.get(f)?.requirements.includes(id)).map((f) => f.name) }));
  /** Blanks the row's check and runs the faults aimed at it until one survives. */
  const blankRow = async (row: BlankedCheck): Promise<void> => {
    const swapped = b.base.checks.map((c) => (c.id === row.id ? blanked(c) : c));
    for (const f of b.faults.filter((x) => row.aimed.includes(x.name))) {
      const requirements = scopes.get(f)!.requirements;
      const r = await runMutant(b, f, requirements, swapped);
      if (!r.failed.some((id) => requirements.includes(id))) {
        row.survivor = f.name;
        break;
      }
    }
  };
  let nextRow = 0;
  await inFlight(parallel, async () => {
    for (let k = nextRow++; k < checks.length; k = nextRow++) await blankRow(checks[k]!);
  });
  return { checks, blankable: checks.filter((c) => c.survivor === undefined).map((c) => c.id) };
}
