/**
 * The write-lifecycle and state-witness checks, proven both ways against the embedded reference runtime:
 * the clean runtime passes every one, and each runtime fault whose clauses name one of these requirements is
 * caught by a check of its clauses (fail for a MUST, warn for a SHOULD).
 */
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { FAULTS, faultRequirements } from '../../src/runtime/faults/index.js';
import { loadProfile } from '../../src/runner/profiles.js';
import { REQUIREMENTS, areaOf, requirement } from '../../src/protocol/requirements.js';
import { writeChecks } from '../../suites/write/index.js';
import { autoexecChecks } from '../../suites/autoexec/index.js';
import { preflightChecks } from '../../suites/preflight/index.js';
import { idemChecks } from '../../suites/idem/index.js';
import { witnessChecks } from '../../suites/witness/index.js';
import { tenantChecks } from '../../suites/tenant/index.js';

const AREAS = ['WRITE', 'AUTOEXEC', 'PREFLIGHT', 'IDEM', 'WITNESS'];
/** Checks of a core area that rest on the write lifecycle (their layer says so): proven here with it. */
const LIFECYCLE_OF_CORE_AREAS = tenantChecks.filter((c) => requirement(c.id).layer !== 'core');
const MINE = [...writeChecks, ...autoexecChecks, ...preflightChecks, ...idemChecks, ...witnessChecks, ...LIFECYCLE_OF_CORE_AREAS];
const IDS = MINE.map((c) => c.id);
const SEED = 20261126;
const PROFILE = new Set(loadProfile('state-witness').requirements.map((r) => r.id));

function summary(results: { id: string; status: string; message?: string }[]): string {
  return results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message}`).join('\n');
}

describe('write-lifecycle and state-witness checks', () => {
  it('registers exactly one check per requirement of the WRITE, AUTOEXEC, PREFLIGHT, IDEM and WITNESS areas (and the write-lifecycle TENANT ones)', () => {
    const wanted = REQUIREMENTS.filter((r) => AREAS.includes(areaOf(r.id)) || (areaOf(r.id) === 'TENANT' && r.layer !== 'core')).map((r) => r.id);
    expect([...IDS].sort()).toEqual(wanted.sort());
  });

  it('the clean reference runtime passes every one of them', async () => {
    const report = await run({ profile: 'state-witness', only: IDS, seed: SEED });
    expect(report.results.map((r) => r.id).sort()).toEqual([...IDS].sort());
    expect(summary(report.results)).toBe('');
  }, 60_000);

  // A fault is aimed here when its clauses name one of these requirements; it runs with all its clauses'
  // requirements, as in the mutation matrix, and one of them must catch it.
  const faults = FAULTS.filter((f) => faultRequirements(f).some((id) => IDS.includes(id))).map((f) => [f.name, faultRequirements(f).join(', ')] as const);

  it('has a check for every requirement of these areas that a runtime fault is aimed at', () => {
    const aimed = FAULTS.flatMap((f) => faultRequirements(f)).filter((id) => AREAS.includes(areaOf(id)));
    expect(aimed.length).toBeGreaterThan(0);
    expect(aimed.filter((id) => !IDS.includes(id))).toEqual([]);
  });

  it.each(faults)('fault %s is caught by one of %s', async (fault, ids) => {
    const report = await run({ profile: 'state-witness', only: ids.split(', ').filter((id) => PROFILE.has(id)), faults: [fault], seed: SEED });
    const caught = report.results.filter((r) => r.status === (requirement(r.id).level === 'MUST' ? 'fail' : 'warn'));
    expect(caught.map((r) => r.id), summary(report.results)).not.toEqual([]);
  });
});
