// The hostile-target matrix (test/cli/hostile-matrix.ts) on every hostile server but the 4 MiB one, which
// hostile-4mib.test.ts runs: each run ends by itself with its exit code, reports written, no stack trace, no
// secret in full.
import { describe, expect, it } from 'vitest';
import { HOSTILE_NAMES } from '../../scripts/hostile-servers.mjs';
import { EXPECTED, hostileRuns, OWN_FILE, report, scratch } from './hostile-matrix.js';

const work = scratch();

describe('hostile-target matrix', () => {
  it('covers every hostile server', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...HOSTILE_NAMES].sort());
  });

  const outcomes = hostileRuns(HOSTILE_NAMES.filter((n) => !OWN_FILE.includes(n)), work);

  it('echoed credentials (header and body) fail ENV-005', () => {
    const r = report(outcomes.get('echo-credentials')!);
    expect(r.results.find((x) => x.id === 'ENV-005')?.status).toBe('fail');
  });

  it('a battery cut short by closed sockets is an error, never a vacuous pass', () => {
    const r = report(outcomes.get('close-mid-response')!);
    for (const id of ['ENV-002', 'ENV-003', 'ENV-004', 'ENV-005']) expect(r.results.find((x) => x.id === id)?.status, id).toBe('error');
  });
});
