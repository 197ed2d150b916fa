import { readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/kit/paths.js';
import { STATUSES } from '../../src/runner/result.js';
import { fingerprintOf } from '../../src/runner/fingerprint.js';
import { TOOL_ERROR_CODES } from '../../src/kit/tool-errors.js';
import { REQUIREMENTS } from '../../src/protocol/requirements.js';
import { AUTHORS_COMMIT, PAPER, primarySource } from '../../src/protocol/sources.js';
import { createReporters, endReporters, REPORTER_NAMES, redactSecrets } from '../../src/report/index.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit, xmlEscape } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderSarif } from '../../src/report/sarif.js';
import { displayReport } from '../../src/report/text.js';
import { ADMIN_SECRET, FULL_TOKEN, HOSTILE, SAMPLE_SOURCE, sampleReport } from './sample.js';

const schemaPath = new URL('../../fixtures/schemas/report.schema.json', import.meta.url);

function sink(): PassThrough & { text(): string } {
  const s = new PassThrough() as PassThrough & { text(): string };
  const chunks: string[] = [];
  s.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  s.text = () => chunks.join('');
  return s;
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opc-report-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('all reporters together', () => {
  it('write every file into a fresh nested --out dir, scrub secrets, and pretty lists the files last', async () => {
    const out = join(dir, 'nested', 'out');
    const stream = sink();
    const reporters = createReporters(REPORTER_NAMES, { stream, color: false });
    const files = await endReporters(reporters, sampleReport(), { outDir: out, stream, secrets: [ADMIN_SECRET] });
    const all = ['junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md'];
    expect((await readdir(out)).sort()).toEqual(all);
    expect(files.map((f) => f.slice(out.length + 1)).sort()).toEqual(all);
    const outputs = [...(await Promise.all(files.map((f) => readFile(f, 'utf8')))), stream.text()];
    for (const text of outputs) {
      expect(text).not.toContain(FULL_TOKEN);
      expect(text).not.toContain(ADMIN_SECRET);
      expect(text).not.toMatch(/\.tmp-\d+/);
    }
    // The redacted forms stay, so the reproduce line is still recognisable.
    expect(outputs[files.findIndex((f) => f.endsWith('report.json'))]).toContain(`${FULL_TOKEN.slice(0, 8)}…`);
    expect(stream.text()).toContain(`Reports: ${files.join(', ')}`);
    // Every output shows a failure's basis next to a public link where it can be read.
    for (const [i, text] of outputs.entries()) {
      expect(text, files[i] ?? 'pretty').toContain('revocation effective on the very next request');
      expect(text, files[i] ?? 'pretty').toContain(SAMPLE_SOURCE);
    }
    expect(primarySource(sampleReport().results.find((r) => r.finding)!.finding!.basis).url).toBe(SAMPLE_SOURCE);
  });

  it("links a finding of the MCP binding to the specification page its rule rests on", () => {
    const page = (basis: string) => primarySource(basis).url.replace('https://modelcontextprotocol.io/specification/2025-06-18/', '');
    expect(page('docs/mcp-binding.md T3: credentials in the Authorization header')).toBe('basic/authorization');
    expect(page('docs/mcp-binding.md T5: Host')).toBe('basic/transports');
    expect(page('docs/mcp-binding.md T6: Origin')).toBe('basic/transports');
    expect(page('docs/mcp-binding.md D4: annotations')).toBe('server/tools');
    expect(page('docs/mcp-binding.md E1: isError')).toBe('server/tools');
  });
});

describe('html', () => {
  it('escapes every hostile string: one script (ours), no markup from the target', () => {
    const html = renderHtml(sampleReport());
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toContain('<script>alert');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    // Held-back checks are shown as such, in the matrix and the list.
    expect(html).toMatch(/<a class="cell held" href="#check-IDEM-003"/);
    expect(html).toMatch(/<details class="check held" data-status="held" data-area="IDEM" id="check-IDEM-003"/);
  });
});

describe('stale reports', () => {
  it('removes report files of an earlier run that this run did not write, and nothing else', async () => {
    await writeFile(join(dir, 'junit.xml'), 'yesterday');
    await writeFile(join(dir, 'summary.md'), 'yesterday');
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const stream = sink();
    await endReporters(createReporters(['json'], { stream, color: false }), sampleReport(), { outDir: dir, stream, secrets: [] });
    expect((await readdir(dir)).sort()).toEqual(['notes.txt', 'report.json']);
  });
});

describe('redactSecrets', () => {
  it('redacts listed secrets and op_ tokens but leaves already-redacted prefixes alone', () => {
    const text = `a ${FULL_TOKEN} b ${ADMIN_SECRET} c op_abcde… d`;
    expect(redactSecrets(text, [ADMIN_SECRET])).toBe(`a ${FULL_TOKEN.slice(0, 8)}… b ${ADMIN_SECRET.slice(0, 8)}… c op_abcde… d`);
  });
});

describe('json', () => {
  it('report.json is the RunReport and validates against the published schema', async () => {
    const stream = sink();
    const [file] = await endReporters(createReporters(['json'], { stream, color: false }), sampleReport(), { outDir: dir, stream, secrets: [] });
    const written = JSON.parse(await readFile(file!, 'utf8'));
    // The text as readers see it (displayReport: controls made visible); the raw bytes stay in the journal.
    const expected = JSON.parse(redactSecrets(JSON.stringify(displayReport(sampleReport())), []));
    expect(written).toEqual(expected);
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    expect(validate(written), JSON.stringify(validate.errors)).toBe(true);
  });

  it('the schema rejects drift: unknown status, missing summary count, extra field', async () => {
    const schema = JSON.parse(await readFile(schemaPath, 'utf8'));
    const validate = new Ajv({ allErrors: true }).compile(schema);
    const bad1 = sampleReport() as any;
    bad1.results[0].status = 'passed';
    const bad2 = sampleReport() as any;
    delete bad2.summary.blocked;
    const bad3 = { ...sampleReport(), extra: 1 };
    for (const bad of [bad1, bad2, bad3]) expect(validate(bad)).toBe(false);
    expect(schema.definitions.result.properties.status.enum).toEqual([...STATUSES]);
    expect(schema.definitions.toolErrorCode.enum).toEqual(TOOL_ERROR_CODES);
    const bad4 = sampleReport() as any;
    bad4.results[1].finding.actual.status = '200';
    const bad5 = sampleReport() as any;
    bad5.results[5].errorCode = 'OPC_E_NOT_A_CODE';
    for (const bad of [bad4, bad5]) expect(validate(bad)).toBe(false);
  });
});

describe('junit', () => {
  const xml = renderJunit(sampleReport());

  it('has one testcase per check plus held-back ones, classname = area, name = "ID title"', () => {
    const cases = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)"/g)].map((m) => [m[1], m[2]]);
    expect(cases).toHaveLength(8);
    expect(cases).toContainEqual(['AUTHN', 'AUTHN-004 A revoked key is refused']);
    expect(cases.map((c) => c[1]!.split(' ')[0])).toEqual(expect.arrayContaining(['IDEM-003', 'ADM-001']));
    expect(xml).toMatch(/<testsuites [^>]*tests="8" failures="1" errors="2" skipped="3"/);
  });

  it('maps statuses: failure for fail, skipped for skip/held, error for error/blocked, warn passes with the warning shown', () => {
    const block = (id: string) => xml.slice(xml.indexOf(`name="${id}`), xml.indexOf('</testcase>', xml.indexOf(`name="${id}`)));
    expect(block('AUTHN-004')).toContain('<failure ');
    expect(block('ABAC-001')).toContain('<skipped ');
    expect(block('IDEM-003')).toContain('held back by --safety draft; allow with --safety load');
    expect(block('AUDIT-001')).toContain('<error ');
    expect(block('ADM-002')).toContain('<error ');
    expect(block('AUTHN-007')).toMatch(/<property name="warning" value="[^"]+"\/>/);
    expect(block('AUTHN-007')).toContain('<system-err>WARNING (SHOULD): ');
    expect(block('AUTHN-007')).not.toMatch(/<failure|<error|<skipped/);
  });

  it('gives a failing case its finding as properties: route, codes, journal exchanges, fingerprint', () => {
    const at = xml.indexOf('name="AUTHN-004');
    const block = xml.slice(at, xml.indexOf('</testcase>', at));
    expect(block).toContain('<property name="route" value="GET /api/agent/v1/manifest"/>');
    expect(block).toContain('<property name="actual-code" value="common.success"/>');
    expect(block).toContain('<property name="exchanges" value="17"/>');
    expect(block).toContain(`<property name="fingerprint" value="${fingerprintOf(sampleReport().results[1]!)}"/>`);
  });

  it('makes a SHOULD warning a failure under --strict', () => {
    const strict = renderJunit({ ...sampleReport(), strict: true });
    const at = strict.indexOf('name="AUTHN-007');
    expect(strict.slice(at, strict.indexOf('</testcase>', at))).toContain('<failure message=');
  });

  it('is never green when the run was incomplete, even if every case that ran passed', () => {
    const base = sampleReport();
    const passed = base.results.filter((r) => r.status === 'pass');
    const report = { ...base, verdict: 'incomplete' as const, exitCode: 3 as const, results: passed, summary: { ...base.summary, pass: passed.length, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: passed.length } };
    const out = renderJunit(report);
    expect(out).toMatch(/<testsuites [^>]*errors="1"/);
    expect(out).toContain('<error message="INCOMPLETE: a MUST check did not run or could not be evaluated (exit 3)"');
  });

  it('escapes every hostile string: the only markup is our own tags', () => {
    const tags = [...xml.matchAll(/<\/?([a-zA-Z?][\w-]*)/g)].map((m) => m[1]);
    expect(new Set(tags)).toEqual(new Set(['?xml', 'testsuites', 'testsuite', 'testcase', 'failure', 'skipped', 'error', 'properties', 'property', 'system-err']));
    expect(xml).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quote&apos;');
    expect(xml).not.toContain('\u0001');
    expect(xmlEscape('a\u0000b\tc\u009bd')).toBe('a?b\tc?d');
  });
});

describe('sarif', () => {
  const sarif = JSON.parse(renderSarif(sampleReport()));
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with the requirement table as rules', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(run.tool.driver.rules).toHaveLength(REQUIREMENTS.length);
    const must = run.tool.driver.rules.find((r: any) => r.id === 'AUTHN-004');
    expect(must).toMatchObject({ shortDescription: { text: REQUIREMENTS.find((r) => r.id === 'AUTHN-004')!.title }, defaultConfiguration: { level: 'error' }, properties: { level: 'MUST', layer: 'core' } });
    expect(run.tool.driver.rules.find((r: any) => r.id === 'AUTHN-007').defaultConfiguration.level).toBe('warning');
  });

  it('gives every rule a fullDescription, a public helpUri where its basis is stated, and help naming the reading in the docs', () => {
    const headingsOf = (page: string) => [...readFileSync(join(PACKAGE_ROOT, 'docs', page), 'utf8').matchAll(/^#+ (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-'));
    for (const rule of run.tool.driver.rules) {
      expect(rule.fullDescription.text).toContain(rule.shortDescription.text);
      const url = new URL(rule.helpUri);
      // A page anyone can open: the paper, the authors' specification at the pinned commit, or (the MCP
      // binding's rules) the MCP specification; never a file:// path.
      expect(url.protocol).toBe('https:');
      expect([new URL(PAPER.url).host, 'github.com', 'modelcontextprotocol.io']).toContain(url.host);
      if (url.host === 'github.com') expect(url.pathname).toContain(`/blob/${AUTHORS_COMMIT}/`);
      if (url.host === 'modelcontextprotocol.io') expect(rule.id).toMatch(/^MCP-/);
      expect(rule.help.markdown).toContain(rule.helpUri);
      const [, page, reading] = /docs\/(protocol|mcp-binding)\.md#([a-z0-9-]+)/.exec(rule.help.text)!;
      expect(headingsOf(`${page}.md`), rule.id).toContain(reading);
    }
  });

  it('has one result per fail or warn, located at the target URL, with expected/actual in the message', () => {
    expect(run.results.map((r: any) => [r.ruleId, r.level])).toEqual([['AUTHN-004', 'error'], ['AUTHN-007', 'warning']]);
    const r = run.results[0];
    expect(run.tool.driver.rules[r.ruleIndex].id).toBe('AUTHN-004');
    expect(r.locations[0].physicalLocation.artifactLocation.uri).toBe('http://127.0.0.1:8787');
    expect(r.message.text).toContain('Expected: HTTP 401 agent.token_invalid');
    expect(r.message.text).toContain('Actual: HTTP 200');
  });

  it('carries the fingerprint of each failure\'s fields, and the finding as data in its properties', () => {
    const report = sampleReport();
    const [authn004, authn007] = run.results;
    expect(authn004.partialFingerprints).toEqual({ 'openportFingerprint/v1': fingerprintOf(report.results[1]!) });
    expect(authn007.partialFingerprints).toEqual({ 'openportFingerprint/v1': fingerprintOf(report.results[2]!) });
    expect(authn004.properties).toMatchObject({ route: 'GET /api/agent/v1/manifest', exchanges: [17], expected: { status: 401, code: 'agent.token_invalid' }, actual: { status: 200, code: 'common.success', pointer: '/ok' } });
    // Rewording the prose changes neither.
    const reworded = { ...report, results: report.results.map((x) => ({ ...x, message: 'reworded', actual: 'reworded', reproduce: 'reworded' })) };
    expect(JSON.parse(renderSarif(reworded)).runs[0].results[0].partialFingerprints).toEqual(authn004.partialFingerprints);
  });

  it('names the code of a tool error that stopped the run', () => {
    const stopped = { ...sampleReport(), results: [], toolError: 'cannot reach http://127.0.0.1:8787: ECONNREFUSED', toolErrorCode: 'OPC_E_UNREACHABLE' as const, verdict: 'incomplete' as const, exitCode: 3 as const };
    const inv = JSON.parse(renderSarif(stopped)).runs[0].invocations[0];
    expect(inv).toMatchObject({ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', descriptor: { id: 'OPC_E_UNREACHABLE' } }] });
  });
});

describe('markdown', () => {
  const md = renderMarkdown(sampleReport());

  it('labels a selection or a shard as one, passing or failing, as every reporter does', () => {
    const passed = sampleReport().results.filter((r) => r.status === 'pass');
    const whole = { ...sampleReport(), heldBack: { ids: [] }, results: passed, verdict: 'conformant' as const, exitCode: 0 as const };
    expect(renderMarkdown(whole).split('\n')[0]).toBe('## ✅ OpenPort conformance: CONFORMANT');
    const shard = { ...whole, shard: { index: 2, count: 3 }, verdict: 'selection-passed' as const };
    expect(renderMarkdown(shard).split('\n')[0]).toBe('## ☑️ OpenPort conformance: SELECTION PASSED (a subset: no profile verdict)');
    expect(renderHtml(shard)).toContain('<h1 class="verdict">SELECTION PASSED (a subset: no profile verdict)</h1>');
    expect(renderHtml(shard)).toContain('Shard 2/3 of the profile');
    const failing = { ...sampleReport(), selection: { only: ['AUTHN-*'], exclude: [], ids: ['AUTHN-004'] } };
    expect(renderMarkdown(failing).split('\n')[0]).toBe('## ❌ OpenPort conformance: NOT CONFORMANT (a selection of the profile)');
  });

  it('states the verdict, the counts and the failing checks', () => {
    expect(md.split('\n')[0]).toBe('## ❌ OpenPort conformance: NOT CONFORMANT');
    expect(md).toContain('| 6 | 1 | 1 | 1 | 1 | 1 | 1 | 2 |');
    const rows = md.split('\n').filter((l) => /^\| (AUTHN|ABAC|ADM|AUDIT|ENV)-/.test(l));
    expect(rows.map((l) => l.split(' | ')[0])).toEqual(['| AUTHN-004', '| AUTHN-007', '| ADM-002', '| AUDIT-001']);
    expect(md).toContain('### Not run\n\n- 2 checks held back by --safety draft; to run them, add --safety load: IDEM-003, ADM-001\n- 1 check skipped: needs the admin plane');
    expect(md).toContain('Cleanup failed for: `app_2`');
  });

  it('keeps hostile strings from breaking the table or the reproduce fence', () => {
    const row = md.split('\n').find((l) => l.startsWith('| AUTHN-004'))!;
    // 8 columns → 9 unescaped pipes.
    expect(row.match(/(?<!\\)\|/g)).toHaveLength(9);
    expect(row).toContain('&lt;script&gt;');
    expect(md).toContain('`````sh\n');
  });
});
