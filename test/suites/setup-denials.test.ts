/**
 * A set-up that did not happen is an error, not a finding: AUDIT-002 reads the audit event of denials it
 * provokes (scope, IP allow-list, container allow-list, tenant boundary). When the server does not deny
 * (a fault that ignores the IP allow-list), the denial's own requirement fails and AUDIT-002 ends in error
 * (OPC_E_SETUP) saying why, instead of counting the same defect a second time.
 */
import { describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';

describe('AUDIT-002 when its set-up denial never happened', () => {
  it('errors with the set-up named while ABAC-001 fails for the ignored allow-list', async () => {
    const report = await run({ faults: ['abac-ip-ignored'], only: ['AUDIT-002', 'ABAC-001'], seed: 3, profile: 'state-witness' });
    const byId = Object.fromEntries(report.results.map((r) => [r.id, r]));
    expect(byId['ABAC-001']?.status).toBe('fail');
    expect(byId['AUDIT-002']?.status).toBe('error');
    expect(byId['AUDIT-002']?.errorCode).toBe('OPC_E_SETUP');
    expect(byId['AUDIT-002']?.message).toMatch(/set-up: .* from outside the IP allowlist was not refused/);
  });
});
