// Clause coverage over the MCP binding, asserted alike for each domain (test/selftest/mutate.test.ts and
// test/runner/mcp-binding.test.ts each run one domain's matrix over MCP).
import { expect } from 'vitest';
import type { MutationReport } from '../../src/selftest/mutate.js';
import { CLAUSES } from '../../src/protocol/clauses.js';

/** The clauses that hold on MCP and a client can judge: what MCP clause coverage is measured over. */
const MCP_CLAUSES = CLAUSES.filter((c) => (!c.bindings || c.bindings.includes('mcp')) && c.beyondReach === undefined);

/**
 * Checks that judge MCP answers as they judge HTTP ones, each with the faults that must fail it over MCP: leaks
 * in what a tool result, a JSON-RPC error or a refused session open carries (ENV-005), a malformed bearer
 * header on `initialize` or a call (AUTHN-002, T3), a body judged before the missing token (AUTHN-001), and
 * the per-client-IP rate limit from a second address (ADM-004, E3).
 */
export const JUDGED_OVER_MCP: Record<string, string> = {
  'env-stack-leak': 'ENV-005',
  'env-sql-leak': 'ENV-005',
  'env-secret-leak': 'ENV-005',
  'fuzz-echo-token': 'ENV-005',
  'authn-any-scheme': 'AUTHN-002',
  'authn-body-before-token': 'AUTHN-001',
  'adm-limit-per-key-only': 'ADM-004',
};

/** 100 % of the clauses that apply to MCP, each killed by a finding of its own check over MCP. */
export function expectFullMcpCoverage(report: MutationReport): void {
  expect(report.clean).toMatchObject({ verdict: 'conformant', failed: [], errored: [] });
  const c = report.coverage;
  expect({ noFault: c.noFault, noCheck: c.noCheck, survived: c.survived }).toEqual({ noFault: [], noCheck: [], survived: [] });
  expect(`${c.covered}/${c.total}`).toBe(`${MCP_CLAUSES.length}/${MCP_CLAUSES.length}`);
  for (const [fault, check] of Object.entries(JUDGED_OVER_MCP)) {
    const m = report.mutants.find((x) => x.fault === fault);
    expect({ fault, applies: m?.applies, killed: m?.killed, byItsCheck: m?.failed.includes(check) }).toEqual({ fault, applies: true, killed: true, byItsCheck: true });
  }
}
