// The embedded run without ADM-003 (whose Retry-After countdown is the run's one deliberate wait): no other
// check may depend on that wait to find a rate-limit window with room. Each check that spends a budget has
// a key of its own, so every seed passes; a collision would show as a 429 (blocked) or an error.
import { describe, expect, it } from 'vitest';
import { run, verdictResults } from '../support/suite.js';

const SEEDS = Array.from({ length: 20 }, (_, i) => i + 1);

describe('run --exclude ADM-003', () => {
  it.each(SEEDS)('passes every check with seed %i', async (seed) => {
    const report = await run({ exclude: ['ADM-003'], seed });
    expect(verdictResults(report).filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`)).toEqual([]);
    expect(report.results.some((r) => r.id === 'ADM-003')).toBe(false);
    expect(report).toMatchObject({ verdict: 'selection-passed', exitCode: 0 });
  });
});
