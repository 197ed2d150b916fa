// The suite is proven sensitive: the clean runtime passes the full state-witness profile and every fault of
// the runtime is caught by the requirement it names (the whole kill matrix, one row per fault).
import { describe, expect, it } from 'vitest';
import { mutate } from '../support/suite.js';
import { FAULTS } from '../../src/runtime/faults/index.js';

/** Faults that cannot apply to a domain, with the reason. Every fault applies to both shipped domains today. */
const NOT_APPLICABLE: Record<string, Record<string, string>> = { demo: {}, helpdesk: {} };

describe('mutate', () => {
  it.each(['demo', 'helpdesk'] as const)('%s domain: kills every runtime fault that applies with the requirement it names, and the clean run is conformant', async (domain) => {
    const report = await mutate({ profile: 'state-witness', seed: 7, parallel: 4, domain });
    const applicable = FAULTS.filter((f) => !(f.name in NOT_APPLICABLE[domain]));
    expect(report.clean).toMatchObject({ verdict: 'conformant', failed: [], errored: [] });
    const matrix = Object.fromEntries(report.mutants.map((m) => [m.fault, m.failed.includes(m.breaks) ? m.breaks : `SURVIVED (${m.failed.join(',')})`]));
    expect(matrix).toEqual(Object.fromEntries(applicable.map((f) => [f.name, f.breaks])));
    expect(report.score).toEqual({ killed: applicable.length, total: applicable.length, notApplicable: 0 });
    expect(report.ok).toBe(true);
  }, 180_000);

  it('reports a surviving fault as not ok', async () => {
    // Under the core profile the write-lifecycle requirement this fault names is never run.
    const report = await mutate({ profile: 'core', faults: ['write-reapprove'], seed: 7 });
    expect(report.mutants[0]).toMatchObject({ fault: 'write-reapprove', breaks: 'WRITE-004', killed: false });
    expect(report.ok).toBe(false);
  }, 60_000);
});
