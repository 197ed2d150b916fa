// Allowlisting release-tree findings: directives in the file (honoured by every detector) and `tree:`
// entries of the baseline (file, rule, fingerprint of the value; reason and expiry as for profile entries).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBaseline, PLACEHOLDER_REASON, type Baseline } from '../../src/gate/baseline.js';
import { renderGateJson, renderGateSarif, renderGateText } from '../../src/gate/render.js';
import { scanTree } from '../../src/gate/tree-scan.js';
import { runGate } from '../support/suite.js';
import { sampleSecrets } from './corpus.js';

const S = sampleSecrets(11);
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'opc-allow-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const found = async (dir: string) => (await scanTree({ roots: [dir] })).findings.map((f) => `${f.detector} ${f.file}:${f.line}`);
const noDeployment = { files: [], live: false };

describe('inline directives', () => {
  it('openport-conform-allow silences every detector on its line and the next, whatever follows it', async () => {
    const dir = tree({
      'src/a.ts': [
        `const stripe = '${S.stripe}'; // openport-conform-allow: revoked test key`,
        '// openport-conform-allow -- fixture for the client tests',
        `const agent = '${S.agent}';`,
        `const github = '${S.github}';`,
      ].join('\n'),
    });
    const r = await scanTree({ roots: [dir] });
    // Line 4 is two lines below the directive: still a finding.
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['GATE-007 src/a.ts:4']);
    expect(r.allowed.map((a) => `${a.ruleId} ${a.detector} ${a.line} ${a.directive}`)).toEqual([
      'GATE-007 stripe-secret-key 1 openport-conform-allow',
      'GATE-008 openport-agent-token 3 openport-conform-allow',
    ]);
  });

  it("secretlint's directives silence the tool's own detectors as well as secretlint's rules; a directive naming another rule does not", async () => {
    const dir = tree({
      'src/b.ts': [
        `const stripe = '${S.stripe}'; // secretlint-disable-line`,
        '// secretlint-disable-next-line',
        `const github = '${S.github}';`,
        `const agent = '${S.agent}'; // secretlint-disable-line @secretlint/secretlint-rule-slack`,
        `const google = '${S.google}'; // secretlint-disable-line google-api-key -- a key restricted to localhost`,
        '/* secretlint-disable */',
        `const a2 = '${S.agent}x';`,
        '/* secretlint-enable */',
        `const g2 = '${S.google.slice(0, -1)}Q';`,
      ].join('\n'),
    });
    expect(await found(dir)).toEqual(['openport-agent-token src/b.ts:4', 'google-api-key src/b.ts:9']);
  });

  it('allowed findings are listed in the step output and are suppressed-in-source SARIF results, without the value', async () => {
    const dir = tree({ 'config/app.yaml': `# openport-conform-allow: a fixture\napi_token: ${S.github}\n` });
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [dir] }, deployment: noDeployment });
    expect(g.steps.find((s) => s.name === 'release-tree')).toMatchObject({ status: 'pass', counts: { findings: 0, allowedInline: 1 } });
    expect(renderGateText(g)).toMatch(/allowed GATE-007 .*config\/app\.yaml:2 \(@secretlint\/secretlint-rule-github\) by openport-conform-allow/);
    const sarif = JSON.parse(renderGateSarif(g)).runs[0].results;
    expect(sarif).toMatchObject([{ ruleId: 'GATE-007', suppressions: [{ kind: 'inSource', status: 'accepted' }] }]);
    for (const out of [renderGateJson(g), renderGateSarif(g), renderGateText(g)]) expect(out).not.toContain(S.github);
  });
});

describe('tree: baseline entries', () => {
  const files = { 'test/fixtures/client.ts': `export const TOKEN = '${S.agent}';\nexport const KEY = '${S.stripe}';\n` };
  const entryFor = async (dir: string, detector: string) => {
    const f = (await scanTree({ roots: [dir] })).findings.find((x) => x.detector === detector)!;
    return { file: f.file, rule: f.ruleId, fingerprint: f.fingerprint, reason: 'fixture for the client tests' };
  };
  const gate = (dir: string, b: Baseline, now?: Date) => runGate({ run: { only: ['ENV-002'] }, scan: { roots: [dir] }, baseline: { file: 'b.yaml', data: b }, deployment: noDeployment, now });

  it('accepts one finding by file, rule and fingerprint of its value; the others still fail', async () => {
    const dir = tree(files);
    const agent = await entryFor(dir, 'openport-agent-token');
    expect(agent.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    const g = await gate(dir, { entries: [], tree: [agent] });
    expect(g.verdict).toBe('failed');
    expect(g.steps.find((s) => s.name === 'release-tree')).toMatchObject({ status: 'fail', counts: { findings: 1, baselined: 1 } });
    expect(g.tree!.findings.find((f) => f.detector === 'openport-agent-token')!.suppression).toEqual({ justification: 'fixture for the client tests' });
    const both = await gate(dir, { entries: [], tree: [agent, await entryFor(dir, 'stripe-secret-key')] });
    expect([both.verdict, both.steps[0]!.status]).toEqual(['selection-passed', 'pass']);
    // The path may carry the root in front, as the console shows it.
    const rooted = await gate(dir, { entries: [], tree: [{ ...agent, file: join(dir, agent.file) }, await entryFor(dir, 'stripe-secret-key')] });
    expect(rooted.verdict).toBe('selection-passed');
    const sarif = JSON.parse(renderGateSarif(both)).runs[0].results;
    expect(sarif.every((r: any) => r.suppressions?.[0]?.kind === 'external')).toBe(true);
    expect(renderGateJson(both)).not.toContain(S.agent);
  });

  it('a different value in the same file and rule is not accepted', async () => {
    const agent = await entryFor(tree(files), 'openport-agent-token');
    const other = tree({ 'test/fixtures/client.ts': `export const TOKEN = '${S.agent.slice(0, -2)}zz';\n` });
    expect((await gate(other, { entries: [], tree: [agent] })).verdict).toBe('failed');
  });

  it('an expired entry stops accepting; an entry whose finding is gone is stale and fails the step', async () => {
    const dir = tree(files);
    const entries = [{ ...(await entryFor(dir, 'openport-agent-token')), expires: '2026-01-31' }, await entryFor(dir, 'stripe-secret-key')];
    expect((await gate(dir, { entries: [], tree: entries }, new Date('2026-01-30T00:00:00Z'))).verdict).toBe('selection-passed');
    const later = await gate(dir, { entries: [], tree: entries }, new Date('2026-02-01T00:00:00Z'));
    expect(later.verdict).toBe('failed');
    expect(later.tree!.baseline!.expired).toHaveLength(1);
    const fixed = tree({ 'test/fixtures/client.ts': 'export const TOKEN = process.env.TOKEN;\n' });
    const stale = await gate(fixed, { entries: [], tree: entries }, new Date('2026-01-30T00:00:00Z'));
    expect(stale.steps[0]).toMatchObject({ status: 'fail', counts: { findings: 0, staleEntries: 2 } });
    expect(renderGateText(stale)).toMatch(/stale tree entry GATE-008 test\/fixtures\/client\.ts [0-9a-f]{16}: the finding is gone; remove the entry/);
    // An entry for a file outside the scanned roots is listed, not stale.
    const elsewhere = await gate(fixed, { entries: [], tree: [{ ...entries[1]!, file: 'somewhere/else.ts' }] });
    expect(elsewhere.steps[0]!.status).toBe('pass');
    expect(elsewhere.tree!.baseline!.unmatched).toHaveLength(1);
  });

  it('the baseline file: tree entries load beside profile entries (or alone); placeholder reasons, bad rules and fingerprints exit 2', () => {
    const dir = tree({});
    const load = (text: string) => {
      const file = join(dir, `b-${text.length}.yaml`);
      writeFileSync(file, text);
      try {
        return loadBaseline(file);
      } catch (e) {
        return { code: (e as { exitCode?: number }).exitCode, message: (e as Error).message };
      }
    };
    const entry = '{ file: test/a.ts, rule: GATE-008, fingerprint: 0123456789abcdef, reason: "fixture" }';
    expect(load(`tree:\n  - ${entry}\n`)).toEqual({ entries: [], tree: [{ file: 'test/a.ts', rule: 'GATE-008', fingerprint: '0123456789abcdef', reason: 'fixture' }] });
    expect(load(`entries: []\ntree:\n  - ${entry.replace('"fixture"', JSON.stringify(PLACEHOLDER_REASON))}\n`)).toMatchObject({ code: 2, message: expect.stringMatching(/\/tree\/0\/reason .* is a placeholder; say why GATE-008 in test\/a\.ts is accepted/) });
    expect(load(`tree:\n  - ${entry.replace('"fixture"', '"TODO later"')}\n`)).toMatchObject({ code: 2, message: expect.stringContaining('is a placeholder') });
    expect(load(`tree:\n  - ${entry.replace('GATE-008', 'GATE-003')}\n`)).toMatchObject({ code: 2, message: expect.stringContaining('/tree/0/rule') });
    expect(load(`tree:\n  - ${entry.replace('0123456789abcdef', 'secretvalue')}\n`)).toMatchObject({ code: 2, message: expect.stringContaining('/tree/0/fingerprint') });
    expect(load(`tree:\n  - ${entry.replace(' }', ', value: x }')}\n`)).toMatchObject({ code: 2, message: expect.stringContaining('unknown key "value"') });
  });
});
