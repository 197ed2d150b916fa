/**
 * The core-layer checks (ENV, AUTHN, DISC, AUTHZ, TENANT, ABAC, ADM, AUDIT), proven both ways against the
 * embedded reference runtime: the clean runtime passes every one, and each runtime fault whose clauses name
 * one of these requirements is caught by a check of its clauses (fail for a MUST, warn for a SHOULD).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMBEDDED_RATE_LIMIT, run } from '../support/suite.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import { FAULTS, faultClauses, faultRequirements } from '../../src/runtime/faults/index.js';
import { loadProfile } from '../../src/runner/profiles.js';
import { requirement } from '../../src/protocol/requirements.js';
import { envChecks } from '../../suites/env/index.js';
import { authnChecks } from '../../suites/authn/index.js';
import { discChecks } from '../../suites/disc/index.js';
import { authzChecks } from '../../suites/authz/index.js';
import { tenantChecks } from '../../suites/tenant/index.js';
import { abacChecks } from '../../suites/abac/index.js';
import { admChecks } from '../../suites/adm/index.js';
import { auditChecks } from '../../suites/audit/index.js';
import { virtualClock } from '../../src/runner/clock.js';

// An area's checks of a higher layer (TENANT-004 judges the tenant boundary where a draft is approved) are
// proven with the write-lifecycle checks in write.test.ts.
const MINE = [...envChecks, ...authnChecks, ...discChecks, ...authzChecks, ...tenantChecks, ...abacChecks, ...admChecks, ...auditChecks]
  .filter((c) => requirement(c.id).layer === 'core');
const IDS = MINE.map((c) => c.id);
const SEED = 20261126;
const PROFILE = new Set(loadProfile('state-witness').requirements.map((r) => r.id));

function summary(results: { id: string; status: string; message?: string; actual?: string }[]): string {
  return results.filter((r) => r.status !== 'pass').map((r) => `${r.id} ${r.status}: ${r.message} ${r.actual ?? ''}`).join('\n');
}

describe('core checks', () => {
  it('registers one check per core requirement of its areas, each under its own id', () => {
    expect(new Set(IDS).size).toBe(IDS.length);
    for (const c of MINE) expect(requirement(c.id).layer).toBe('core');
    expect(IDS).toHaveLength(46);
  });

  it('the clean reference runtime passes every one of them', async () => {
    const report = await run({ profile: 'core', only: IDS, seed: SEED });
    expect(report.results.map((r) => r.id).sort()).toEqual([...IDS].sort());
    expect(summary(report.results)).toBe('');
  }, 60_000);

  // Over real sockets: header edge cases (8 KiB tokens, odd characters), the client IP as node:http sees it.
  it('the reference runtime served over HTTP passes every one of them too', async () => {
    // The run and the runtime's limiter share a virtual clock: load cannot move the rate window under the run.
    const clock = virtualClock();
    const runtime = createRuntime({ rateLimit: { ...EMBEDDED_RATE_LIMIT }, windowNow: clock.now });
    const server = await startHttpServer(runtime);
    const dir = mkdtempSync(join(tmpdir(), 'conform-core-'));
    const targetFile = join(dir, 'target.yaml');
    writeFileSync(targetFile, `extends: demo\nrateLimit: { limit: ${EMBEDDED_RATE_LIMIT.limit}, windowMs: ${EMBEDDED_RATE_LIMIT.windowMs} }\n`);
    try {
      const report = await run({
        url: server.url, targetFile, token: runtime.bootstrap.agentToken, adminHeaders: runtime.adminHeaders,
        profile: 'core', safety: 'load', only: IDS, seed: SEED, windowClock: clock,
      });
      expect(report.results.map((r) => r.id).sort()).toEqual([...IDS].sort());
      expect(summary(report.results)).toBe('');
    } finally {
      await server.close();
      await runtime.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  // A fault is aimed here when its clauses name one of these requirements; it runs with all its clauses'
  // requirements, as in the mutation matrix, and one of them must catch it. These runs are over HTTP: a fault
  // of the MCP front (every clause of the MCP binding only) is caught over MCP (test/runner/mcp-binding.test.ts).
  const overHttp = (f: (typeof FAULTS)[number]) => faultClauses(f).some((c) => !c.bindings || (c.bindings as readonly string[]).includes('http'));
  const faults = FAULTS.filter((f) => overHttp(f) && faultRequirements(f).some((id) => IDS.includes(id))).map((f) => [f.name, faultRequirements(f).join(', ')] as const);

  it('covers every runtime fault aimed at these requirements', () => {
    expect(faults.length).toBeGreaterThanOrEqual(25);
  });

  it.each(faults)('fault %s is caught by one of %s', async (fault, ids) => {
    const report = await run({ profile: 'state-witness', only: ids.split(', ').filter((id) => PROFILE.has(id)), faults: [fault], seed: SEED });
    const caught = report.results.filter((r) => r.status === (requirement(r.id).level === 'MUST' ? 'fail' : 'warn'));
    expect(caught.map((r) => r.id), summary(report.results)).not.toEqual([]);
  });
});
