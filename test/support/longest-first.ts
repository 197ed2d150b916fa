/**
 * The test files that take longest (whole-profile matrices, CI recipes, hostile servers), longest first, as
 * measured on a full run. vitest.config.ts starts them before all others: a worker takes the next file when it
 * is free, so the longest must start first, or one of them ends the run alone while the other worker idles.
 * vitest's own order comes from the durations in its cache, which is missing on a fresh clone (it then runs
 * the rest by size, and a matrix shard is a four-line file that would run last) and is rewritten by every
 * partial run (`-t`, a single file), so it cannot be relied on for these.
 */
export const LONGEST_FIRST = [
  'compat/seeds', 'compat/variants-2', 'compat/variants', 'selftest/mutate', 'gate/recipes-fail', 'gate/recipes-pass',
  'cli/hostile-4mib', 'gate/action', 'runner/mcp-binding', 'cli/init', 'suites/core', 'evidence/certify', 'cli/hostile',
  'runner/mcp-judge', 'cli/interrupted', 'suites/write', 'cli/paste-tty', 'runtime/mcp-inspector', 'runner/no-hidden-wait',
  'cli/pinned-statuses', 'cli/process',
].map((f) => `test/${f}.test.ts`);
