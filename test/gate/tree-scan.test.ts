import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGate } from '../support/suite.js';
import { renderGateJson, renderGateMarkdown, renderGateSarif, renderGateText } from '../../src/gate/render.js';
import { scanTree } from '../../src/gate/tree-scan.js';
import { ADMIN_TOKEN, AGENT_TOKEN, AWS_SECRET, MARKER, PLANTED, plantTree } from './plant.js';

/** A live Stripe key's shape (assembled, so this file holds none). */
const STRIPE_KEY = ['sk', 'live', 'Zq8vR2mX7tLp4Wn9Kc3Hs6Jd'].join('_');

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
    // The profile step ran --only ENV-002: a selection.
    expect(g.verdict).toBe('selection-passed');
  });

  it("secretlint findings sit on the secret's value and are fingerprinted by it, whatever names it; a rule's name is not redacted", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-secretlint-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a.js'), `const a = 1;\nconst x = { aws_secret_access_key = "${AWS_SECRET}" };\n`);
    writeFileSync(join(dir, 'deploy.sh'), `export AWS_SECRET_ACCESS_KEY=${AWS_SECRET}\n`);
    const github = 'ghp_' + 'Zk3Qp8Lm2Vx9Rt4Wn7Bc1Yd6Fg5Hj0Ks2Mq8';
    writeFileSync(join(dir, 'gh.js'), `const t = "${github}";\n`);
    const r = await scanTree({ roots: [dir] });
    const aws = r.findings.filter((f) => f.detector.includes('aws'));
    expect(aws.map((f) => [f.file, f.line, f.column])).toEqual([['a.js', 2, 38], ['deploy.sh', 1, 30]]);
    expect(new Set(aws.map((f) => f.fingerprint)).size).toBe(1);
    const gh = r.findings.find((f) => f.file === 'gh.js')!;
    expect(gh.message).toContain('GitHub personal access tokens');
    expect(gh.message).not.toContain(github);
    for (const f of r.findings) expect(f.message).not.toContain(AWS_SECRET);
  });

  it('counts binary files, scans a file over the cap in its head and names it, and honours exclude globs', async () => {
    const dir = tree(true);
    writeFileSync(join(dir, 'big.txt'), `${'x'.repeat(5000)}\n${AGENT_TOKEN}\n`);
    writeFileSync(join(dir, 'head.txt'), `${AGENT_TOKEN}\n${'x'.repeat(5000)}\n`);
    const r = await scanTree({ roots: [dir], maxFileBytes: 4096, exclude: ['db/**', '*.pem'] });
    expect(r.skipped).toEqual({ binary: 1, huge: 0, unreadable: 0 });
    expect(r.cut.sort()).toEqual(['big.txt', 'head.txt']);
    // What lies past the cap is not read; what lies before it is.
    expect(r.findings.map((f) => f.file)).not.toContain('big.txt');
    expect(r.findings.filter((f) => f.file === 'head.txt').map((f) => `${f.ruleId} ${f.line}:${f.column}`)).toEqual(['GATE-008 1:1']);
    expect(r.findings.map((f) => f.file).filter((f) => f.startsWith('db/') || f.endsWith('.pem'))).toEqual([]);
    expect(r.findings.map((f) => f.file)).toContain('.env');
  });

  it('finds what a production dump or a .env holds however large or however encoded', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-tree-big-'));
    try {
      mkdirSync(join(dir, 'db'));
      const rows = Array.from({ length: 40_000 }, (_, i) => `${i}\tuser${i}@corp.example.com\tx${String(i).padStart(30, '0')}`).join('\n');
      writeFileSync(join(dir, 'db', 'prod.sql'), `--\n-- PostgreSQL database dump\n--\nCOPY public.users (id, email, password_hash) FROM stdin;\n${rows}\n`);
      writeFileSync(join(dir, '.env.production'), `STRIPE_KEY=${STRIPE_KEY}\n${'# padding\n'.repeat(150_000)}`);
      // UTF-16LE with a byte-order mark (PowerShell's `>`), and UTF-8 with one: columns as an editor shows them.
      mkdirSync(join(dir, 'ps'));
      writeFileSync(join(dir, 'ps', '.env'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`TOKEN=${AGENT_TOKEN}\r\n`, 'utf16le')]));
      writeFileSync(join(dir, 'bom.ts'), `\ufeffconst t = '${AGENT_TOKEN}';\n`);
      writeFileSync(join(dir, 'nobom.ts'), `const t = '${AGENT_TOKEN}';\n`);
      const r = await scanTree({ roots: [dir], tracked: false });
      const found = r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}:${f.column}`).sort();
      expect(found).toEqual([
        'GATE-007 .env.production:1:12',
        'GATE-008 bom.ts:1:12',
        'GATE-008 nobom.ts:1:12',
        'GATE-008 ps/.env:1:7',
        'GATE-009 .env.production:1:1',
        'GATE-009 ps/.env:1:1',
        'GATE-012 db/prod.sql:2:1',
      ]);
      expect(r.cut.sort()).toEqual(['.env.production', 'db/prod.sql']);
      const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [dir], tracked: false }, deployment: { files: [], live: false } });
      expect(g.steps.find((s) => s.name === 'release-tree')!.summary).toContain('2 over the size cap, scanned in their first 1 MiB only: ');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
    // The commit that edited it out is within one commit of history: the version it replaced is read too.
    const last = await scanTree({ roots: [dir], history: 1 });
    expect(last.findings).toMatchObject([{ ruleId: 'GATE-008', file: 'src/client.ts', line: 3 }]);
    expect(last.findings[0]!.commit).toBe(g('rev-parse', '--short=12', 'HEAD~1').toString().trim());
  });

  it('scans an untracked build directory of a work tree in full, and calls an empty tree an error, not a pass', async () => {
    const dir = tree(false, true);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, '.gitignore'), 'dist/\n');
    writeFileSync(join(dir, 'dist', 'bundle.js'), `const t = '${AGENT_TOKEN}';\n`);
    expect((await scanTree({ roots: [join(dir, 'dist')] })).findings).toMatchObject([{ ruleId: 'GATE-008', file: 'bundle.js', line: 1 }]);
    // One file forced into git under the ignored directory (a .gitkeep) does not hide the rest of it.
    writeFileSync(join(dir, 'dist', '.gitkeep'), '');
    execFileSync('git', ['-C', dir, 'add', '-f', 'dist/.gitkeep'], { stdio: 'pipe' });
    expect((await scanTree({ roots: [join(dir, 'dist')] })).findings).toMatchObject([{ ruleId: 'GATE-008', file: 'bundle.js', line: 1 }]);
    mkdirSync(join(dir, 'empty'));
    const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [join(dir, 'empty')] }, deployment: noDeployment });
    expect(g.steps.find((s) => s.name === 'release-tree')).toMatchObject({ status: 'error', counts: { files: 0 } });
    expect([g.verdict, g.exitCode]).toEqual(['incomplete', 3]);
  });

  it('never follows a symbolic link: loops, links out of the root and dangling links are listed, nothing crashes', async () => {
    for (const git of [false, true]) {
      const dir = tree(false, git);
      const outside = mkdtempSync(join(tmpdir(), 'opc-outside-'));
      dirs.push(outside);
      writeFileSync(join(outside, 'secret.ts'), `export const t = '${AGENT_TOKEN}';\n`);
      symlinkSync(outside, join(dir, 'vendor'));
      symlinkSync(join(outside, 'secret.ts'), join(dir, 'src', 'linked.ts'));
      symlinkSync('loop-b', join(dir, 'loop-a'));
      symlinkSync('loop-a', join(dir, 'loop-b'));
      symlinkSync('..', join(dir, 'src', 'up'));
      symlinkSync('missing.txt', join(dir, 'dangling'));
      if (git) execFileSync('git', ['-C', dir, 'add', '-A'], { stdio: 'pipe' });
      const g = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [dir] }, deployment: noDeployment });
      expect(g.tree!.findings, `git ${git}`).toEqual([]);
      expect(g.tree!.symlinks.map((l) => `${l.file} ${l.kind}`), `git ${git}`).toEqual(['dangling dangling', 'loop-a loop', 'loop-b loop', 'src/linked.ts outside', 'src/up loop', 'vendor outside']);
      expect(g.steps[0]).toMatchObject({ status: 'pass', counts: { symlinks: 6 } });
      expect(renderGateText(g)).toMatch(/symlink .*vendor -> .*opc-outside-.* \(points outside the root; not followed\)/);
      expect(renderGateText(g)).toMatch(/symlink .*loop-a -> loop-b \(a loop; not followed\)/);
    }
  });

  it('history in a shallow clone: says so and names fetch-depth: 0, scans what exists, never the tree again; shallow: fail makes the step incomplete', async () => {
    const dir = tree(false, true);
    const g = (...args: string[]) => execFileSync('git', ['-C', dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { stdio: 'pipe' });
    appendFileSync(join(dir, 'src/client.ts'), `const leaked = '${AGENT_TOKEN}';\n`);
    g('commit', '-qam', 'oops');
    writeFileSync(join(dir, 'src/client.ts'), 'const a = 1;\n');
    g('commit', '-qam', 'remove it');
    const full = await scanTree({ roots: [dir], history: 20 });
    // Two earlier versions of src/client.ts differ from the tree (as first committed, and with the leak).
    expect([full.files, full.versions, full.findings.length, full.warnings]).toEqual([6, 2, 1, []]);
    expect(full.history).toEqual([{ root: dir, requested: 20, commits: 3, versions: 2, shallow: false }]);

    const clone = mkdtempSync(join(tmpdir(), 'opc-shallow-'));
    dirs.push(clone);
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${resolve(dir)}`, clone], { stdio: 'pipe' });
    const shallow = await scanTree({ roots: [clone], history: 20 });
    // The deleted secret is out of reach, and the scan says so instead of passing silently.
    expect(shallow.findings).toEqual([]);
    expect([shallow.files, shallow.versions]).toEqual([6, 0]);
    expect(shallow.history).toMatchObject([{ requested: 20, commits: 1, versions: 0, shallow: true }]);
    expect(shallow.warnings).toEqual([expect.stringMatching(/shallow clone: only 1 of the 20 commits .* fetch-depth: 0/)]);
    const warned = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [clone], history: 20 }, deployment: noDeployment });
    expect(warned.steps[0]).toMatchObject({ status: 'pass', counts: { files: 6, versions: 0 } });
    expect(warned.steps[0]!.summary).toMatch(/6 files scanned \+ 0 earlier file versions from 1 commit of history \(shallow clone\) .*, 0 findings; warning: .*fetch-depth: 0/);
    const strict = await runGate({ run: { only: ['ENV-002'] }, scan: { roots: [clone], history: 20, shallow: 'fail' }, deployment: noDeployment });
    expect([strict.steps[0]!.status, strict.verdict, strict.exitCode]).toEqual(['error', 'incomplete', 3]);
    // Outside a work tree, history asked for is a warning too.
    const plain = await scanTree({ roots: [tree(false)], history: 5 });
    expect(plain.warnings).toEqual([expect.stringContaining('not in a git work tree')]);
  });

  it("the project's own tree passes its own scan (fixtures with fake tokens are decoys or carry a directive)", async () => {
    const root = resolve(import.meta.dirname, '..', '..');
    const r = await scanTree({ roots: [root] });
    expect(r.files).toBeGreaterThan(100);
    expect(r.findings.map((f) => `${f.ruleId} ${f.detector} ${f.file}:${f.line}`)).toEqual([]);
  });
});
