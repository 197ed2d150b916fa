// A check list out of step with the requirement table stops `run` before any traffic, in both directions:
// a check whose requirement row is missing, and a requirement row whose check is missing. Each test hands
// the CLI a doctored copy of the shipped list (suites/index.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKS } from '../../suites/index.js';
import { cli } from '../support/cli.js';

// Reports of these runs (none get that far) would go here, never into the working directory.
const out = mkdtempSync(join(tmpdir(), 'opc-completeness-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the check list and the requirement table are one to one, or run stops with exit 2', () => {
  it('a check added without its requirement row is named, not silently left out of a CONFORMANT run', async () => {
    const checks = [...CHECKS, { ...CHECKS.find((c) => c.id === 'DISC-001')!, id: 'DISC-099' }];
    const r = await cli(['run', '--seed', '7', '--reporter', 'pretty'], { checks });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('openport-conform: check DISC-099 has no requirement row in src/protocol/requirements.ts: add the row (id, level, layer, title, basis), or remove the check\n');
    expect(r.stdout).toBe('');
  });

  it('a requirement row without its check is named, also for a run --only elsewhere and a dry run', async () => {
    const checks = CHECKS.filter((c) => c.id !== 'IDEM-003');
    for (const args of [['run', '--seed', '7', '--out', out], ['run', '--only', 'AUTHN-001', '--out', out], ['run', '--list']]) {
      const r = await cli(args, { checks });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^openport-conform: requirement IDEM-003 of src\/protocol\/requirements\.ts has no check in the check list \(suites\/index\.ts\)/);
    }
  });

  it('the shipped list is what a command plans from when none is handed to it', async () => {
    const r = await cli(['run', '--list', '--only', 'IDEM-003']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('IDEM-003');
  });
});
