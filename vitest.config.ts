import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { LONGEST_FIRST } from './test/support/longest-first.js';
import { COMPILED_DIR, compiledSources } from './test/support/compiled.js';

/** The files of LONGEST_FIRST before all others, in its order (test/support/longest-first.ts says why). */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST_FIRST.findIndex((file) => f.moduleId.endsWith(`/${file}`));
      return i < 0 ? LONGEST_FIRST.length : i;
    };
    // Array.prototype.sort is stable: the other files keep vitest's own order after the listed ones.
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

export default defineConfig({
  // src/, suites/ and fuzz/ as dist/ holds them, built first (test/support/compiled.ts says why).
  plugins: [compiledSources],
  test: {
    globalSetup: ['./test/support/compiled.ts'],
    server: { deps: { external: [COMPILED_DIR] } },
    include: ['test/**/*.test.ts'],
    // Test files run in parallel worker processes (servers listen on port 0, scratch files live in mkdtemp
    // directories). One worker more than the machine has cores (vitest's default is one fewer): much of the
    // suite waits on sockets, child processes and timers rather than computing, so another file runs in that
    // time. On two cores three workers finish the suite sooner than two, and four later than three.
    pool: 'forks',
    maxWorkers: availableParallelism() + 1,
    // Each worker runs V8 on its main thread alone (no background garbage-collection or compiler threads): the
    // workers already outnumber the cores, so helper threads only contend with them and add the cost of
    // handing work over. Measured A/B on two cores, the suite finishes sooner this way. Processes the tests
    // start (the CLI, `serve`) run with Node's defaults, as users run them.
    execArgv: ['--single-threaded'],
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
