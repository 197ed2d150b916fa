import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGate } from '../support/suite.js';
import { renderGateJson, renderGateMarkdown, renderGateSarif, renderGateText } from '../../src/gate/render.js';
import { scanTree } from '../../src/gate/tree-scan.js';
import { ADMIN_TOKEN, AGENT_TOKEN, AWS_SECRET, MARKER, PLANTED, plantTree } from './plant.js';

const dirs: string[] = [];
const tree = (dirty: boolean, git = false) => {
  const d = plantTree(dirty, git);
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const SECRETS = [AWS_SECRET, AGENT_TOKEN, ADMIN_TOKEN, 'billing.corp.internal'];
const noDeployment = { files: [], live: false };

describe('release-tree scan', () => {
  it('fails a planted tree with one SARIF result per finding at the right file and line; the secret only as a prefix', async () => {
    const dir = tree(true);
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [dir], privateMarkers: [MARKER] }, deployment: noDeployment });
    expect(g.verdict).toBe('failed');
    expect(g.exitCode).toBe(1);
    expect(g.steps.find((s) => s.name === 'release-tree')).toMatchObject({ status: 'fail', counts: { findings: PLANTED.length, skippedBinary: 1 } });
    const got = g.tree!.findings.map((f) => ({ ruleId: f.ruleId, file: f.file, line: f.line })).sort((a, b) => a.file.localeCompare(b.file));
    expect(got).toEqual([...PLANTED].sort((a, b) => a.file.localeCompare(b.file)));

    const sarif = JSON.parse(renderGateSarif(g));
    const located = sarif.runs[0].results.filter((r: any) => r.locations[0].physicalLocation.region);
    expect(located).toHaveLength(PLANTED.length);
    for (const p of PLANTED) {
      const r = located.find((x: any) => x.ruleId === p.ruleId && x.locations[0].physicalLocation.artifactLocation.uri.endsWith(p.file));
      expect(r, `${p.ruleId} ${p.file}`).toBeDefined();
      expect(r.locations[0].physicalLocation.region.startLine).toBe(p.line);
      expect(r.locations[0].physicalLocation.region.startColumn).toBeGreaterThanOrEqual(1);
      expect(sarif.runs[0].tool.driver.rules[r.ruleIndex].id).toBe(p.ruleId);
    }
    // The token on line 2 of src/client.ts starts after "  const token = '".
    const token = g.tree!.findings.find((f) => f.file === 'src/client.ts')!;
    expect([token.column, token.endColumn]).toEqual([18, 18 + AGENT_TOKEN.length]);

    for (const out of [renderGateJson(g), renderGateSarif(g), renderGateMarkdown(g), renderGateText(g)]) {
      for (const s of SECRETS) expect(out.includes(s), s.slice(0, 6)).toBe(false);
    }
    expect(renderGateText(g)).toContain(`${AGENT_TOKEN.slice(0, 8)}…`);
  });

  it('passes the same tree cleaned (templates, prefixes and schema-only SQL are not findings)', async () => {
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [tree(false)], privateMarkers: [MARKER] }, deployment: noDeployment });
    expect(g.tree!.findings).toEqual([]);
    expect(g.steps.find((s) => s.name === 'release-tree')!.status).toBe('pass');
    expect(g.verdict).toBe('passed');
  });

  it('skips and counts binary and huge files, and honours exclude globs', async () => {
    const dir = tree(true);
    writeFileSync(join(dir, 'big.txt'), `${'x'.repeat(5000)}\n${AGENT_TOKEN}\n`);
    const r = await scanTree({ roots: [dir], maxFileBytes: 4096, exclude: ['db/**', '*.pem'] });
    expect(r.skipped).toEqual({ binary: 1, huge: 1, unreadable: 0 });
    expect(r.findings.map((f) => f.file)).not.toContain('big.txt');
    expect(r.findings.map((f) => f.file).filter((f) => f.startsWith('db/') || f.endsWith('.pem'))).toEqual([]);
    expect(r.findings.map((f) => f.file)).toContain('.env');
  });

  it('in a git work tree scans the tracked files, and --history finds a secret only an earlier commit holds', async () => {
    const dir = tree(false, true);
    writeFileSync(join(dir, '.env'), 'SECRET=1\n'); // untracked: not part of the release
    expect((await scanTree({ roots: [dir] })).findings).toEqual([]);
    const g = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
    appendFileSync(join(dir, 'src/client.ts'), `const leaked = '${AGENT_TOKEN}';\n`);
    g('commit', '-qam', 'oops');
    writeFileSync(join(dir, 'src/client.ts'), 'const a = 1;\n');
    g('commit', '-qam', 'remove it');
    expect((await scanTree({ roots: [dir] })).findings).toEqual([]);
    const hist = await scanTree({ roots: [dir], history: 5 });
    expect(hist.findings).toHaveLength(1);
    expect(hist.findings[0]).toMatchObject({ ruleId: 'GATE-008', file: 'src/client.ts', line: 3 });
    expect(hist.findings[0]!.commit).toMatch(/^[0-9a-f]{12}$/);
  });

  it('scans an untracked build directory of a work tree in full, and calls an empty tree an error, not a pass', async () => {
    const dir = tree(false, true);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, '.gitignore'), 'dist/\n');
    writeFileSync(join(dir, 'dist', 'bundle.js'), `const t = '${AGENT_TOKEN}';\n`);
    expect((await scanTree({ roots: [join(dir, 'dist')] })).findings).toMatchObject([{ ruleId: 'GATE-008', file: 'bundle.js', line: 1 }]);
    mkdirSync(join(dir, 'empty'));
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [join(dir, 'empty')] }, deployment: noDeployment });
    expect(g.steps.find((s) => s.name === 'release-tree')).toMatchObject({ status: 'error', counts: { files: 0 } });
    expect([g.verdict, g.exitCode]).toEqual(['incomplete', 3]);
  });
});
