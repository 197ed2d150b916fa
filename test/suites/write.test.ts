/**
 * The write-lifecycle and state-witness checks, proven both ways against the embedded reference runtime:
 * the clean runtime passes every one, and each runtime fault that names one of these requirements makes
 * exactly that requirement fail (MUST) or warn (SHOULD).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { FAULTS } from '../../src/runtime/faults/index.js';
import { REQUIREMENTS, areaOf, requirement } from '../../src/protocol/requirements.js';
import { writeChecks } from '../../suites/write/index.js';
import { autoexecChecks } from '../../suites/autoexec/index.js';
import { preflightChecks } from '../../suites/preflight/index.js';
import { idemChecks } from '../../suites/idem/index.js';
import { witnessChecks } from '../../suites/witness/index.js';

const AREAS = ['WRITE', 'AUTOEXEC', 'PREFLIGHT', 'IDEM', 'WITNESS'];
const MINE = [...writeChecks, ...autoexecChecks, ...preflightChecks, ...idemChecks, ...witnessChecks];
const IDS = MINE.map((c) => c.id);
const SEED = 20261126;

function summary(results: { id: string; status: string; message?: string }[]): string {
  return results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n');
}

describe('write-lifecycle and state-witness checks', () => {
  it('registers exactly one check per requirement of the WRITE, AUTOEXEC, PREFLIGHT, IDEM and WITNESS areas', () => {
    const wanted = REQUIREMENTS.filter((r) => AREAS.includes(areaOf(r.id))).map((r) => r.id);
    expect([...IDS].sort()).toEqual(wanted.sort());
  });

  it('the clean reference runtime passes every one of them', async () => {
    const report = await run({ profile: 'state-witness', only: IDS, seed: SEED });
    expect(report.results.map((r) => r.id).sort()).toEqual([...IDS].sort());
    expect(summary(report.results)).toBe('');
  }, 60_000);

  const faults = FAULTS.filter((f) => IDS.includes(f.breaks)).map((f) => [f.name, f.breaks] as const);

  it('has a check for every runtime fault aimed at these areas', () => {
    const aimed = FAULTS.filter((f) => AREAS.includes(areaOf(f.breaks)));
    expect(aimed.length).toBeGreaterThan(0);
    expect(aimed.filter((f) => !IDS.includes(f.breaks)).map((f) => f.name)).toEqual([]);
  });

  it.each(faults)('fault %s makes %s fail', async (fault, id) => {
    const report = await run({ profile: 'state-witness', only: [id], faults: [fault], seed: SEED });
    const result = report.results.find((r) => r.id === id);
    expect(result?.status, result?.message).toBe(requirement(id).level === 'MUST' ? 'fail' : 'warn');
  });
});
