// The flake detector of .ci/run: two vitest JSON reports of one suite in, the tests whose outcome differs out.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = resolve(import.meta.dirname, '..', '..', 'scripts', 'flakes.mjs');
const dir = mkdtempSync(join(tmpdir(), 'opc-flakes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function report(name: string, tests: Record<string, 'passed' | 'failed'>): string {
  const file = join(dir, name);
  const assertionResults = Object.entries(tests).map(([fullName, status]) => ({ fullName, status, failureMessages: status === 'failed' ? [`AssertionError: ${fullName} broke\n    at x`] : [] }));
  writeFileSync(file, JSON.stringify({ testResults: [{ name: join(process.cwd(), 'test/a.test.ts'), status: 'passed', assertionResults }] }));
  return file;
}

const run = (a: string, b: string) => execFileSync(process.execPath, [script, a, b], { encoding: 'utf8' });

describe('scripts/flakes.mjs', () => {
  it('names each test whose outcome differs between the runs, with the failure', () => {
    const out = run(report('1.json', { steady: 'passed', wobbly: 'failed', broken: 'failed' }), report('2.json', { steady: 'passed', wobbly: 'passed', broken: 'failed' }));
    expect(out).toBe('flake detector: 1 test(s) with different outcomes in two runs of the same suite:\n  test/a.test.ts › wobbly: failed then passed — AssertionError: wobbly broke\n');
  });

  it('says so when both runs agree, and when a report is missing', () => {
    expect(run(report('3.json', { steady: 'passed' }), report('4.json', { steady: 'passed' }))).toBe('flake detector: no flaky test (1 tests, same outcome in both runs)\n');
    // A test named after a random seed has another name in the second run: not compared, not a flake.
    expect(run(report('6.json', { steady: 'passed', 'seed 17': 'passed' }), report('7.json', { steady: 'passed', 'seed 99': 'passed' })))
      .toBe('flake detector: no flaky test (1 tests, same outcome in both runs; 1 named after a random parameter, not compared)\n');
    expect(run(join(dir, 'absent.json'), report('5.json', {}))).toMatch(/^flake detector: cannot compare, .*absent\.json is missing/);
  });
});
