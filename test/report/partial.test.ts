// A partial pass (a check that noted parts of itself did not run) stays a pass in the counts and the verdict,
// and every reporter says so with the reasons; the certificate never takes it for a full pass of a MUST.
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import type { CheckResult, RunReport } from '../../src/runner/result.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJson } from '../../src/report/json.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPretty } from '../../src/report/pretty.js';
import { renderSarif } from '../../src/report/sarif.js';
import { countsLine } from '../../src/report/summary.js';
import { notCertifiable } from '../../src/evidence/certificate.js';

const WHY = 'no agent token: only the unauthenticated half ran';

function result(id: string, level: CheckResult['level'], partial?: string[]): CheckResult {
  return { id, level, layer: 'core', title: `title of ${id}`, safety: 'read-only', status: 'pass', durationMs: 3, ...(partial ? { partial } : {}) };
}

/** A conformant run of three checks, two of them passed in part (a MUST and a SHOULD). */
function partialReport(): RunReport {
  const results = [result('ENV-001', 'MUST', [WHY]), result('ENV-002', 'MUST'), result('ADM-003', 'SHOULD', ['recovery after the full Retry-After was not awaited', 'a second reason'])];
  return {
    tool: { name: 'openport-conform', version: '0.1.0' },
    target: { url: 'http://127.0.0.1:8787', embedded: false, faults: [] },
    profile: 'core',
    safety: 'load',
    strict: false,
    seed: 7,
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:06.000Z',
    durationMs: 1000,
    summary: { pass: 3, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: 3, heldBack: 0 },
    heldBack: { ids: [] },
    verdict: 'conformant',
    exitCode: 0,
    results,
    cleanup: { revoked: [], failed: [] },
    evidence: { journal: { file: 'exchanges.jsonl', entries: 10, dropped: 0, bytes: 100, truncated: false }, notInMemory: 0 },
  };
}

describe('partial passes', () => {
  const report = partialReport();

  it('are counted among the passes and named in the counts', () => {
    expect(countsLine(report)).toBe('3 checks: 3 passed (2 partial)');
    expect(countsLine({ ...report, results: report.results.map((r) => ({ ...r, partial: undefined })) })).toBe('3 checks: 3 passed');
  });

  it('pretty: "PASS (partial)" with each reason on its own line; a full pass shows none', () => {
    const text = renderPretty(report, [], new Chalk({ level: 0 }));
    expect(text).toContain(`  PASS (partial) ENV-001 [MUST] title of ENV-001 (3 ms)\n         not run: ${WHY}\n`);
    expect(text).toContain('not run: recovery after the full Retry-After was not awaited\n         not run: a second reason');
    expect(text).toMatch(/ {2}PASS {3}ENV-002 \[MUST\] title of ENV-002 \(3 ms\)\n/);
    expect(text).toContain('3 checks: 3 passed (2 partial) · 1.0 s · seed 7 · CONFORMANT');
  });

  it('json: the reasons on the result, valid against the published schema (which refuses an empty list)', () => {
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(readFileSync(new URL('../../fixtures/schemas/report.schema.json', import.meta.url), 'utf8')));
    const json = JSON.parse(renderJson(report)) as RunReport;
    expect(json.results[0]!.partial).toEqual([WHY]);
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    json.results[0]!.partial = [];
    expect(validate(json)).toBe(false);
  });

  it('junit: a passed case with a "partial" property and the reasons in system-out', () => {
    const xml = renderJunit(report);
    expect(xml).toContain(`<testcase classname="ENV" name="ENV-001 title of ENV-001" time="0.003">\n      <properties><property name="partial" value="${WHY}"/></properties>\n      <system-out>PARTIAL PASS, not run: ${WHY}</system-out>\n    </testcase>`);
    expect(xml).toContain('<testcase classname="ENV" name="ENV-002 title of ENV-002" time="0.003"/>');
    expect(xml).not.toMatch(/<failure|<error|<skipped/);
  });

  it('sarif: one note-level result per partial pass, none for a full pass', () => {
    const results = JSON.parse(renderSarif(report)).runs[0].results as { ruleId: string; level: string; message: { text: string }; properties: { partial: string[] } }[];
    expect(results.map((r) => [r.ruleId, r.level])).toEqual([['ENV-001', 'note'], ['ADM-003', 'note']]);
    expect(results[0]!.message.text).toBe(`ENV-001 passed in part; not run: ${WHY}`);
    expect(results[1]!.properties.partial).toHaveLength(2);
  });

  it('markdown: the count beside the passes and a "Passed in part" table', () => {
    const md = renderMarkdown(report);
    expect(md).toContain('| 3 | 3 (2 partial) | 0 | 0 | 0 | 0 | 0 | 0 |');
    expect(md).toContain(`### Passed in part\n\n| Check | Level | Requirement | Not run |\n| --- | --- | --- | --- |\n| ENV-001 | MUST | title of ENV-001 | ${WHY} |`);
    expect(md).toContain('| ADM-003 | SHOULD | title of ADM-003 | recovery after the full Retry-After was not awaited<br>a second reason |');
  });

  it('html: the badge, the matrix cell and the reasons', () => {
    const html = renderHtml(report);
    expect(html).toContain('<span class="badge pass">PASS (partial)</span> <b>ENV-001</b>');
    expect(html).toContain('<span class="badge pass">PASS</span> <b>ENV-002</b>');
    expect(html).toContain(`<dt>not run</dt><dd class="partial">${WHY}</dd>`);
    expect(html).toMatch(/class="cell pass partial"[^>]*title="ENV-001 pass \(partial\): /);
    expect(html).toContain('3 checks: 3 passed (2 partial)');
  });

  it('certify: no certificate when a MUST passed only in part; a SHOULD passed in part does not block it', () => {
    expect(notCertifiable(report)).toBe('MUST checks passed only in part (ENV-001)');
    const shouldOnly = partialReport();
    delete shouldOnly.results[0]!.partial;
    expect(notCertifiable(shouldOnly)).toBeUndefined();
  });

  it("certify: another binding's rules are outside the run, but a MUST a flag would have run (a wait not made) is not", () => {
    const base = partialReport();
    delete base.results[0]!.partial;
    const skipped = (id: string, hint?: string) => ({ ...result(id, 'MUST'), status: 'skip' as const, ...(hint ? { hint } : {}) });
    const withOutside = (extra: ReturnType<typeof skipped>[]): RunReport => ({
      ...base, results: [...base.results, ...extra], binding: { name: 'http', endpoint: base.target.url, notApplicable: extra.map((r) => r.id) },
    });
    expect(notCertifiable(withOutside([skipped('MCP-001')]))).toBeUndefined();
    expect(notCertifiable(withOutside([skipped('MCP-001'), skipped('PREFLIGHT-009', '--long-waits')]))).toBe('PREFLIGHT-009 did not run (add --long-waits)');
  });
});
