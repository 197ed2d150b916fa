/**
 * Mutation score: run a profile against the embedded runtime once clean and once per injected fault, and
 * record which requirements each fault made fail. A fault is killed when the requirement it names fails
 * (or warns, for a SHOULD). The suite is sensitive only if the clean run passes and every fault is killed.
 */
import { FAULTS } from '../runtime/faults/index.js';
import { DEFAULT_DOMAIN, type DomainName } from '../runtime/domains.js';
import { ToolError, type BindingName } from '../kit/check.js';
import type { RunReport, Verdict } from '../runner/result.js';
import { run, type RunOptions } from '../runner/run.js';

export interface MutantResult {
  fault: string;
  breaks: string;
  description: string;
  /** Requirement ids that failed or warned with this fault injected. */
  failed: string[];
  /** Checks that could not evaluate (error/blocked) — a hint that the fault broke the tool's footing. */
  errored: string[];
  killed: boolean;
  /**
   * False when the requirement the fault names is judged on another binding only (--binding mcp: a check of
   * the HTTP binding itself): the fault is listed, not counted.
   */
  applies: boolean;
  durationMs: number;
}

export interface MutationReport {
  profile: string;
  domain: DomainName;
  /** The agent plane's binding of every run. */
  binding: BindingName;
  seed: number;
  clean: { verdict: Verdict; failed: string[]; errored: string[]; durationMs: number };
  mutants: MutantResult[];
  /** Killed among the faults whose requirement applies to the binding (total), and those that do not apply. */
  score: { killed: number; total: number; notApplicable: number };
  /** Clean run conformant and every applicable fault killed by the requirement it names. */
  ok: boolean;
}

export interface MutateOptions {
  /** The checks to judge every mutant with (the CLI passes suites/index.ts's CHECKS). */
  checks: RunOptions['checks'];
  profile?: string;
  /** Faults to try; default every fault of the runtime. */
  faults?: string[];
  seed?: number;
  /** Runs in flight at once (each its own embedded runtime). Default 8: a run is mostly waiting on its rate-limit windows. */
  parallel?: number;
  /** The domain of every embedded run (default demo). */
  domain?: DomainName;
  /** The agent plane's binding (default http). */
  binding?: BindingName;
  fuzz?: RunOptions['fuzz'];
  onMutant?: (m: MutantResult, done: number, total: number) => void;
}

const failedIds = (r: RunReport) => r.results.filter((x) => x.status === 'fail' || x.status === 'warn').map((x) => x.id);
const erroredIds = (r: RunReport) => r.results.filter((x) => x.status === 'error' || x.status === 'blocked').map((x) => x.id);

export async function mutate(opts: MutateOptions): Promise<MutationReport> {
  const all = FAULTS.map((f) => f.name as string);
  const names = opts.faults?.length ? opts.faults : all;
  for (const n of names) {
    if (!all.includes(n)) throw new ToolError(`unknown fault "${n}"; valid faults: ${all.join(', ')}`, 2);
  }
  const seed = opts.seed ?? 1;
  const base: RunOptions = { checks: opts.checks, profile: opts.profile ?? 'state-witness', seed, fuzz: opts.fuzz, domain: opts.domain, ...(opts.binding ? { binding: opts.binding } : {}) };
  const clean = await run(base);
  const inapplicable = new Set(clean.binding?.notApplicable ?? []);
  const profile = clean.profile;
  const mutants: MutantResult[] = new Array(names.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < names.length) {
      const i = next++;
      const def = FAULTS.find((f) => f.name === names[i])!;
      const report = await run({ ...base, profile, faults: [def.name] });
      const failed = failedIds(report);
      mutants[i] = {
        fault: def.name,
        breaks: def.breaks,
        description: def.description,
        failed,
        errored: erroredIds(report),
        killed: failed.includes(def.breaks),
        applies: !inapplicable.has(def.breaks),
        durationMs: report.durationMs,
      };
      opts.onMutant?.(mutants[i], ++done, names.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 8) }, worker));
  const counted = mutants.filter((m) => m.applies);
  const killed = counted.filter((m) => m.killed).length;
  return {
    profile,
    domain: opts.domain ?? DEFAULT_DOMAIN,
    binding: opts.binding ?? 'http',
    seed,
    clean: { verdict: clean.verdict, failed: failedIds(clean), errored: erroredIds(clean), durationMs: clean.durationMs },
    mutants,
    score: { killed, total: counted.length, notApplicable: mutants.length - counted.length },
    ok: clean.verdict === 'conformant' && killed === counted.length,
  };
}
