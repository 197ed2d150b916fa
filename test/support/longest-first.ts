/**
 * The test files that take longest (whole-profile matrices, CI recipes, hostile servers), longest first, as
 * measured on a full run. vitest.config.ts starts them before all others: a worker takes the next file when it
 * is free, so the longest must start first, or one of them ends the run alone while the other worker idles.
 * vitest's own order comes from the durations in its cache, which is missing on a fresh clone (it then runs
 * the rest by size, and a matrix shard is a four-line file that would run last) and is rewritten by every
 * partial run (`-t`, a single file), so it cannot be relied on for these.
 */
export const LONGEST_FIRST = [
  'compat/seeds', 'compat/variants-2', 'compat/variants', 'selftest/mutate', 'gate/recipes-pass', 'gate/recipes-fail',
  'gate/action', 'runner/mcp-binding', 'runner/no-hidden-wait', 'cli/hostile-4mib', 'suites/core', 'cli/init',
  'cli/pinned-statuses', 'cli/process', 'cli/hostile', 'evidence/certify', 'runner/mcp-judge', 'cli/interrupted',
  'cli/paste-tty', 'runtime/mcp-inspector', 'suites/write', 'runner/openapi', 'gate/tree-scan',
].map((f) => `test/${f}.test.ts`);
