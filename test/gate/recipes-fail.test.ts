// Every recipe of docs/ci.md (test/gate/ci-recipes.ts runs them as CI does) against a `serve` of its own with
// a fault; the same recipes against a conformant one are in recipes-pass.test.ts.
import { afterAll, describe, expect, it } from 'vitest';
import { activeApps, GITLAB, RECIPES, removeScratch, reports, sandbox, serveProcess } from './ci-recipes.js';

afterAll(removeScratch);

describe('docs/ci.md recipes', () => {
  it.each(RECIPES.map(([name]) => name))('%s fails against a serve with a fault (error responses as text/plain)', async (name) => {
    const recipe = RECIPES.find(([n]) => n === name)![1];
    const server = await serveProcess(['--fault', 'env-text-errors']);
    try {
      const cwd = sandbox();
      const outcome = recipe(cwd, server.ci);
      expect(outcome.failed, outcome.log).toBe(true);
      const { report, gate, junit } = reports(cwd, name);
      expect(report.gate, outcome.log).toMatchObject({ verdict: 'failed', exitCode: 1 });
      expect([report.verdict, report.exitCode]).toEqual(['not-conformant', 1]);
      expect(report.results.find((r: { id: string }) => r.id === 'ENV-004').status).toBe('fail');
      if (gate) expect([gate.verdict, gate.exitCode]).toEqual(['failed', 1]);
      if (name === GITLAB) expect(junit).toMatch(/<failure[^>]*>[\s\S]*<\/failure>/);
      if (name !== GITLAB) expect(outcome.summaries).toMatch(/## ❌ OpenPort (release gate: GATE FAILED|conformance: NOT CONFORMANT)/);
      expect(await activeApps(server)).toEqual([]);
    } finally {
      server.stop();
    }
  }, 240_000);
});
