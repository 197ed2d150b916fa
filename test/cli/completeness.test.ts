// A check list out of step with the requirement table stops `run` before any traffic, in both directions:
// a check whose requirement row is missing, and a requirement row whose check is missing. Each test swaps
// the shipped list (suites/index.ts) for a doctored one and loads the CLI afresh.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckDef } from '../../src/kit/check.js';

afterEach(() => {
  vi.doUnmock('../../suites/index.js');
  vi.resetModules();
});

/** The CLI, loaded with `edit` applied to the shipped check list. */
async function cliWith(edit: (checks: readonly CheckDef[]) => CheckDef[]) {
  vi.resetModules();
  vi.doMock('../../suites/index.js', async (importOriginal) => ({ CHECKS: edit((await importOriginal<typeof import('../../suites/index.js')>()).CHECKS) }));
  return (await import('../support/cli.js')).cli;
}

describe('the check list and the requirement table are one to one, or run stops with exit 2', () => {
  it('a check added without its requirement row is named, not silently left out of a CONFORMANT run', async () => {
    const cli = await cliWith((checks) => [...checks, { ...checks.find((c) => c.id === 'DISC-001')!, id: 'DISC-099' }]);
    const r = await cli(['run', '--seed', '7', '--reporter', 'pretty']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('openport-conform: check DISC-099 has no requirement row in src/protocol/requirements.ts: add the row (id, level, layer, title, basis), or remove the check\n');
    expect(r.stdout).toBe('');
  });

  it('a requirement row without its check is named, also for a run --only elsewhere and a dry run', async () => {
    const cli = await cliWith((checks) => checks.filter((c) => c.id !== 'IDEM-003'));
    for (const args of [['run', '--seed', '7'], ['run', '--only', 'AUTHN-001'], ['run', '--list']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^openport-conform: requirement IDEM-003 of src\/protocol\/requirements\.ts has no check in the check list \(suites\/index\.ts\)/);
    }
  });
});
