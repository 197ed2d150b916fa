/**
 * The runner and the self-test receive the check list instead of importing suites/; tests hand them the
 * shipped list here, as the CLI does.
 */
import { CHECKS } from '../../suites/index.js';
import { run as runWith, type RunOptions } from '../../src/runner/run.js';
import { mutate as mutateWith, type MutateOptions } from '../../src/selftest/mutate.js';

export { CHECKS };
export { EMBEDDED_RATE_LIMIT, SAME_PROCESS_TIMEOUT_MS } from '../../src/runner/run.js';
export type RunInput = Omit<RunOptions, 'checks'> & Partial<Pick<RunOptions, 'checks'>>;
export const run = (opts: RunInput = {}) => runWith({ checks: CHECKS, ...opts });
import { GATE_JUDGE } from '../../src/gate/judge.js';
export const mutate = (opts: Omit<MutateOptions, 'checks'> & Partial<Pick<MutateOptions, 'checks'>> = {}) => mutateWith({ checks: CHECKS, deployment: GATE_JUDGE, ...opts });
import { runGate as runGateWith, type GateOptions } from '../../src/gate/gate.js';
export const runGate = (opts: Omit<GateOptions, 'run'> & { run: RunInput }) => runGateWith({ ...opts, run: { checks: CHECKS, ...opts.run } });
import type { RunReport } from '../../src/runner/result.js';
/** The results a run's verdict is made of: without the checks of another binding (report.binding.notApplicable). */
export const verdictResults = (report: RunReport) => report.results.filter((r) => !report.binding?.notApplicable.includes(r.id));
