// `mutate` as printed: a fault another binding judges names that binding, clause coverage is over the
// clauses a client can judge, and those beyond a client's reach are named on a line of their own.
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { CLAUSES } from '../../src/protocol/clauses.js';

const beyond = CLAUSES.filter((c) => c.beyondReach !== undefined && !c.bindings?.includes('mcp')).map((c) => c.id);

describe('mutate text', () => {
  it('names the binding that judges an inapplicable fault, and lists the clauses beyond reach apart', async () => {
    const out = await cli(['mutate', '--profile', 'write-lifecycle', '--fault', 'preflight-never-expires', '--fault', 'mcp-token-in-query', '--seed', '7']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^mcp-token-in-query +not applicable to http \(judged on the MCP binding only\) +MCP\.credential\.header-only$/m);
    expect(out.stdout).toMatch(/^preflight-never-expires +PREFLIGHT-009 +PREFLIGHT\.id\.expires$/m);
    expect(out.stdout).toMatch(/^clause coverage: \d+\/\d+ \(\d+\.\d %\)$/m);
    expect(out.stdout).toContain(`\nbeyond a client's reach (${beyond.length}): ${beyond.join(', ')}\n`);
  }, 60_000);

  it('carries the clauses beyond reach in its JSON too (every run on the main thread: --threads 0)', async () => {
    const out = await cli(['mutate', '--profile', 'write-lifecycle', '--fault', 'preflight-never-expires', '--seed', '7', '--threads', '0', '--json']);
    const report = JSON.parse(out.stdout);
    expect(report.coverage.beyondReach).toEqual(beyond);
    expect(report.coverage.total + beyond.length).toBe(CLAUSES.filter((c) => !c.bindings?.includes('mcp')).length);
  }, 60_000);
});
