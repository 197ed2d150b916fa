/**
 * The fuzz driver: runs one fast-check property inside a check's budget and turns a failure into a
 * replayable Finding (seed, path, shrunk counterexample, ready-to-paste command). Seeds come from the run
 * (ctx.seed) and `--path` replays one counterexample, so every failure reproduces exactly.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { Finding, routePatternOf, ToolError, type CheckContext } from '../check.js';
import { readPathsOf } from '../../protocol/types.js';
import { reportCounterexample, type CorpusRequest } from './corpus.js';

export interface PropertyOptions<T> {
  /** Generated cases for this property; default ctx.fuzz.runs. */
  runs?: number;
  /** Bound on shrinking steps (each replays requests; stateful cases also provision). Default 300. */
  maxShrinks?: number;
  /** A short rendering of a counterexample for the finding. */
  show(value: T): string;
  /** The single request a counterexample boils down to, for the corpus (omit for multi-request cases). */
  corpus?(value: T): CorpusRequest | undefined;
  /**
   * Extra replay state of a counterexample, appended to the reported path after "@" (fast-check commands
   * need their replayPath besides the path; see commandsReplayPath).
   */
  replayState?(value: T): string | undefined;
}

/** The replayPath fast-check prints into a commands counterexample, for `fc.commands(…, { replayPath })`. */
export function commandsReplayPath(value: unknown): string | undefined {
  return /\/\*replayPath="([^"]*)"\*\//.exec(String(value))?.[1];
}

/** The part of a reported path after "@" (the commands replayPath), or undefined. */
export function replayStateOf(path: string | undefined): string | undefined {
  const i = path?.indexOf('@') ?? -1;
  return i >= 0 ? path!.slice(i + 1) : undefined;
}

/** Shrinking replays requests against the target, so it is bounded in steps as well as in time. */
const MAX_SHRINK_STEPS = 300;
/**
 * The first cases of a property (all of a default run's) are journaled whole; later ones are bulk traffic
 * (CheckContext.bulk), so ten thousand cases fit the journal's cap. Shrinking steps are journaled whole.
 */
export const CASES_JOURNALED_WHOLE = 100;

/** Generated cases between two turns given to the event loop (checkProperty). */
export const YIELD_EVERY = 32;

/**
 * The fewest generated cases that make a pass: a property --fuzz-time cut short before this many (or before
 * all it asked for, when it asked for fewer) passes only in part; one cut before its first case is an error.
 */
export const MIN_CASES = 20;

/**
 * Check `predicate` over `arb`. The predicate throws a Finding when the target breaks the property; any
 * other exception (Skip, Blocked, ToolError, a bug) stops generation and is rethrown unchanged, so a tool
 * problem never turns into a shrunk "counterexample".
 */
export async function checkProperty<T>(
  ctx: CheckContext,
  arb: fc.Arbitrary<T>,
  predicate: (value: T) => Promise<void>,
  opts: PropertyOptions<T>,
): Promise<{ runs: number }> {
  let halted: unknown;
  let firstFailureAt: number | undefined;
  let calls = 0;
  const started = ctx.now();
  const prop = fc.asyncProperty(arb, async (value) => {
    if (halted !== undefined) return;
    // Stopped (Ctrl-C, --max-time, the check's deadline): end generation now, not after the cases still to go,
    // which fast-check would otherwise generate one by one (a value returned here passes, and shrinks nothing).
    // While a failure is being shrunk, the case that failed is reported as it stands (this one passes).
    if (ctx.signal.aborted) {
      if (firstFailureAt !== undefined) return;
      throw (halted = new ToolError(`${ctx.checkId}: stopped after ${calls} generated cases`, 'OPC_E_ABORTED'));
    }
    calls++;
    // Against the embedded runtime a case is answered without a macrotask: give signals, timers and the cleanup's
    // sockets their turn now and then, or a long property would hold the event loop until its budget is spent.
    if (calls % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (firstFailureAt !== undefined && (calls - firstFailureAt > (opts.maxShrinks ?? MAX_SHRINK_STEPS) || ctx.now() - started > 3 * ctx.fuzz.timeMs)) return;
    try {
      await (calls > CASES_JOURNALED_WHOLE && firstFailureAt === undefined ? ctx.bulk(() => predicate(value)) : predicate(value));
    } catch (err) {
      if (err instanceof Finding) {
        firstFailureAt ??= calls;
        throw err;
      }
      halted = err;
    }
  });
  let out: fc.RunDetails<[T]>;
  const wanted = Math.max(1, opts.runs ?? ctx.fuzz.runs);
  try {
    out = await fc.check(prop, {
      seed: ctx.seed,
      numRuns: wanted,
      interruptAfterTimeLimit: ctx.fuzz.timeMs,
      markInterruptAsFailure: false,
      ...(ctx.fuzz.path ? { path: ctx.fuzz.path.split('@')[0] } : {}),
    });
  } catch (err) {
    throw new ToolError(`${ctx.checkId}: cannot replay fuzz path ${ctx.fuzz.path ?? ''}: ${(err as Error).message}`, 2);
  }
  if (halted !== undefined) throw halted;
  // fast-check reports a property interrupted before its first case as failed, with no counterexample.
  if (out.interrupted && out.numRuns === 0) {
    throw new ToolError(`${ctx.checkId}: --fuzz-time ${ctx.fuzz.timeMs} ms ran out before the first generated case; nothing was judged (raise --fuzz-time)`, 3);
  }
  if (!out.failed) {
    // A replayed path runs its one counterexample by design; anything else cut short rests on too few cases.
    const minimum = Math.min(wanted, MIN_CASES);
    if (ctx.fuzz.path === undefined && out.numRuns < minimum) {
      ctx.partial(`${out.numRuns} of ${wanted} generated cases ran before --fuzz-time ${ctx.fuzz.timeMs} ms ran out (a pass needs at least ${minimum}; raise --fuzz-time)`);
    }
    return { runs: out.numRuns };
  }
  const inner = out.errorInstance;
  if (!(inner instanceof Finding)) {
    throw new ToolError(`${ctx.checkId}: fuzz property failed without a finding: ${String((inner as Error | null)?.message ?? inner)}`, 'OPC_E_CHECK_EXCEPTION');
  }
  const value = out.counterexample![0];
  const state = opts.replayState?.(value);
  const path = `${out.counterexamplePath ?? ''}${state ? `@${state}` : ''}`;
  const command = ctx.replay(path);
  const request = opts.corpus?.(value);
  if (request) {
    reportCounterexample({
      id: `${ctx.checkId.toLowerCase()}-${out.seed >>> 0}-${createHash('sha256').update(path).digest('hex').slice(0, 8)}`,
      requirement: ctx.checkId,
      seed: out.seed >>> 0,
      path,
      request,
      note: inner.message,
    });
  }
  // The counterexample is said as it was sent; its route as the pattern it was aimed at, and its fingerprint
  // without it: which route a property fails on first is the seed's choice.
  const failing = inner.exchange;
  throw inner.restated({
    // The replay command is the finding's reproduce line, said once.
    message: `${inner.message} (fuzz seed ${out.seed >>> 0}, path ${path}; found after ${out.numRuns} cases, shrunk ${out.numShrinks} times)`,
    actual: `${inner.actual}; counterexample: ${opts.show(value)}`,
    replay: command,
    ...(failing && !failing.mcp ? { route: routePatternOf(failing.request, readPathsOf(ctx.target.reads)) } : {}),
    generated: true,
  });
}
