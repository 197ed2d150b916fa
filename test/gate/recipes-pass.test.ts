// Every recipe of docs/ci.md (test/gate/ci-recipes.ts runs them as CI does) against a conformant `serve` of
// its own over loopback; the same recipes against a faulty one are in recipes-fail.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { activeApps, GITLAB, RECIPES, removeScratch, reports, sandbox, serveProcess } from './ci-recipes.js';

afterAll(removeScratch);

describe('docs/ci.md recipes', () => {
  it.each(RECIPES.map(([name]) => name))('%s passes against a conformant serve over loopback: the token provisioned, used and revoked', async (name) => {
    const recipe = RECIPES.find(([n]) => n === name)![1];
    const server = await serveProcess();
    try {
      const cwd = sandbox();
      const outcome = recipe(cwd, server.ci);
      expect(outcome.failed, outcome.log).toBe(false);
      const { report, gate, junit } = reports(cwd, name);
      expect(report.target.url).toBe(server.url);
      // report.json (the merged one too) states the gate's verdict beside the profile verdict.
      expect(report.gate, outcome.log).toMatchObject({ verdict: 'passed', exitCode: 0 });
      if (gate) expect([gate.verdict, gate.exitCode]).toEqual(['passed', 0]);
      // Nothing the gate provisioned is left active on the server.
      expect(await activeApps(server)).toEqual([]);
      if (name !== RECIPES[0]![0]) {
        // Admin credentials and no token: the gate ran at draft with a token of its own.
        expect(report.safety).toBe('draft');
        // Only the checks of another binding (MCP's own rules) are skipped, outside the verdict.
        expect(report.summary.skip).toBe(report.binding?.notApplicable.length ?? 0);
        expect(report.cleanup).toMatchObject({ failed: [] });
        expect(report.cleanup.revoked.length).toBeGreaterThan(0);
      }
      if (name === GITLAB) expect(junit).toMatch(/<testsuites[^>]* failures="0" errors="0"/);
      if (name !== GITLAB) expect(outcome.summaries).toMatch(/## ✅ OpenPort (release gate: GATE PASSED|conformance: CONFORMANT)/);
    } finally {
      server.stop();
    }
  }, 240_000);

  it('the CLI recipe with OPENPORT_URL empty and the admin secret still set gates the embedded runtime', () => {
    const recipe = RECIPES.find(([n]) => n === 'GitHub: the CLI directly')![1];
    const cwd = sandbox();
    const outcome = recipe(cwd, { vars: { OPENPORT_URL: '' }, secrets: { OPENPORT_ADMIN_HEADER: 'authorization: Bearer adm_NotUsedWithoutAUrl0123' } });
    expect(outcome.failed, outcome.log).toBe(false);
    const { report } = reports(cwd, 'GitHub: the CLI directly');
    expect(report.target.embedded).toBe(true);
    expect(report.gate).toMatchObject({ verdict: 'passed', exitCode: 0 });
  }, 240_000);
});
