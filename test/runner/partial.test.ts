// Passes only on evidence: a check that says part of it did not run passes in part; a fuzz property cut short
// before its minimum number of cases passes in part (none at all: an error); a non-disclosure check proves
// first that the markers it looks for are visible, and a target file with none is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Finding, type CheckDef } from '../../src/kit/check.js';
import { MIN_CASES, checkProperty } from '../../src/kit/fuzz-driver/driver.js';
import { loadTargetFile } from '../../src/runner/target-file.js';
import { run } from '../support/suite.js';
import { CHECKS } from '../../suites/index.js';
import { toolErrorOf } from './fakes.js';

const base = CHECKS.find((c) => c.id === 'ENV-001')!;
const only = (def: CheckDef, extra: Parameters<typeof run>[0] = {}) => run({ checks: [def], only: [def.id], seed: 3, ...extra });

const dir = mkdtempSync(join(tmpdir(), 'opc-partial-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
function targetFile(text: string): string {
  const p = join(dir, `target-${++files}.yaml`);
  writeFileSync(p, text);
  return p;
}

describe('ctx.partial', () => {
  it('turns a pass into a partial pass carrying the reasons; a finding still fails', async () => {
    const partial: CheckDef = { ...base, run: async (ctx) => { ctx.partial('half A did not run'); ctx.partial('half B did not run'); } };
    const passed = await only(partial);
    expect(passed.results[0]).toMatchObject({ status: 'pass', partial: ['half A did not run', 'half B did not run'] });
    const failing: CheckDef = { ...base, run: async (ctx) => { ctx.partial('half A did not run'); throw new Finding('broken', 'x', 'y'); } };
    const failed = await only(failing);
    expect(failed.results[0]!.status).toBe('fail');
    expect(failed.results[0]!.partial).toBeUndefined();
    const full = await only({ ...base, run: async () => undefined });
    expect(full.results[0]).not.toHaveProperty('partial');
  }, 30_000);
});

describe('a fuzz property cut short by --fuzz-time', () => {
  // Each case takes at least 40 ms (a sleep), so a 300 ms budget holds at most 8 cases, fewer than MIN_CASES
  // however fast the machine; a zero budget holds none.
  const slow: CheckDef = {
    ...base,
    run: async (ctx) => {
      await checkProperty(ctx, fc.integer(), async () => ctx.sleep(40), { show: String });
    },
  };

  it(`passes only in part below ${MIN_CASES} cases, naming how many ran`, async () => {
    const r = (await only(slow, { fuzz: { runs: 100, timeMs: 300 } })).results[0]!;
    expect(r.status).toBe('pass');
    expect(r.partial).toHaveLength(1);
    const m = /^(\d+) of 100 generated cases ran before --fuzz-time 300 ms ran out \(a pass needs at least (\d+); raise --fuzz-time\)$/.exec(r.partial![0]!);
    expect(m, r.partial![0]).not.toBeNull();
    expect(Number(m![1])).toBeLessThan(MIN_CASES);
    expect(Number(m![2])).toBe(MIN_CASES);
  }, 30_000);

  it('is an error when no case ran', async () => {
    const r = (await only(slow, { fuzz: { runs: 100, timeMs: 0 } })).results[0]!;
    expect(r).toMatchObject({ status: 'error', message: expect.stringContaining('--fuzz-time 0 ms ran out before the first generated case') });
  }, 30_000);

  it('asks for no more than the property wanted: 5 of 5 cases is a full pass', async () => {
    const five: CheckDef = { ...base, run: async (ctx) => void (await checkProperty(ctx, fc.integer(), async () => undefined, { runs: 5, show: String })) };
    expect((await only(five)).results[0]).not.toHaveProperty('partial');
  }, 30_000);
});

describe('non-disclosure markers', () => {
  it('a target file with no existingResourceMarkers is refused (exit 2), naming the key', () => {
    const e = toolErrorOf(() => loadTargetFile(targetFile('extends: demo\nexistingResourceMarkers: []\n')));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain('/existingResourceMarkers: must NOT have fewer than 1 items');
  });

  it('TENANT-003 is an error, not a pass, when its own tenant does not see the markers it looks for', async () => {
    const report = await run({ only: ['TENANT-003'], seed: 3, targetFile: targetFile('extends: demo\nexistingResourceMarkers: ["Consulting payment", "no such words"]\n') });
    expect(report.results[0]).toMatchObject({ status: 'error', message: expect.stringContaining('positive control: its own tenant\'s read-back of txn_1 does not show "no such words"') });
    const clean = await run({ only: ['TENANT-003'], seed: 3 });
    expect(clean.results[0]).toMatchObject({ status: 'pass' });
  }, 60_000);
});
