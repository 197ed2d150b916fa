import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The files that take longest (whole-profile matrices, CI recipes, hostile servers), longest first. A worker
 * takes the next file when it is free, so the longest must start first, or one of them ends the run alone
 * while the other worker idles. vitest orders by the durations in its cache, but that cache is missing on a
 * fresh clone (it then runs unknown files first and the rest by size, and a matrix shard is a four-line file
 * that runs last) and is rewritten by every partial run (`-t`, one file), so it cannot be relied on.
 */
const LONGEST_FIRST = [
  'compat/seeds', 'compat/variants-2', 'compat/variants', 'gate/recipes-fail', 'gate/recipes-pass',
  'cli/hostile-4mib', 'gate/action', 'selftest/mutate', 'runner/audit-history', 'cli/init', 'runner/mcp-binding',
  'evidence/certify', 'suites/core', 'cli/hostile', 'runner/no-hidden-wait', 'runner/mcp-judge', 'cli/pinned-statuses',
  'cli/interrupted', 'cli/paste-tty', 'suites/write',
].map((f) => `/test/${f}.test.ts`);

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((suffix) => f.moduleId.endsWith(suffix));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the other files keep vitest's own order after the listed ones.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Test files run in parallel worker processes (servers listen on port 0, scratch files live in mkdtemp
    // directories). At least two workers even on a two-core machine, where vitest's default would be one:
    // much of the suite waits on sockets and child processes rather than computing, so a second file runs in
    // that time.
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    // A worker runs its files one after another in one process and keeps the modules they import: loading
    // src/ and suites/ afresh for every file cost over a third of the CPU time of the files it runs. So a
    // test file must leave the process as it found it (environment variables, fake timers and signal
    // handlers restored, servers closed), and none mocks a module.
    isolate: false,
    // Concurrent tests inside one file (the whole-profile matrices): fewer than vitest's 5, so that two
    // files side by side keep about as many whole runs in flight as one file did alone.
    maxConcurrency: 3,
    sequence: { sequencer: LongestFirst },
    // Hang guards, not performance assertions: with files side by side on a loaded machine a whole-profile
    // run can take several times its idle wall time.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // The JSON summary lets .ci/run print a plain "N passed, N failed" closing line.
    reporters: ['default', ['json', { outputFile: '.tmp/vitest-results.json' }]],
  },
});
