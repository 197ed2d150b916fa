// The gate, baseline update and merge commands as a CI runs them, in-process through main(argv, io); every
// path is absolute, in a fresh directory (the commands' default files are looked up in the working
// directory, which holds neither openport-gate.yaml nor openport-baseline.yaml).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cli } from '../support/cli.js';

const work = mkdtempSync(join(tmpdir(), 'opc-gate-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** A path in this file's fresh directory. */
const w = (name: string) => join(work, name);
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('openport-conform gate', () => {
  it('passes against the embedded runtime with no config at all, printing each step and the verdict', async () => {
    const r = await cli(['gate', '--out', w('plain'), '--reporter', 'json,sarif']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^gate config: \(none; defaults\)/);
    expect(r.stdout).toMatch(/release-tree +SKIP/);
    expect(r.stdout).toMatch(/deployment +PASS .*0 failures, 1 warning/);
    expect(r.stdout).toMatch(/warn GATE-005 /);
    // The only skips are the MCP binding's own rules, which do not apply over HTTP (outside the verdict).
    const line = r.stdout.match(/profile +PASS +state-witness at safety load: \d+ pass, (\d+) skip; every MUST at or below load passed/);
    expect(line, r.stdout).not.toBeNull();
    const report = JSON.parse(readFileSync(join(work, 'plain', 'report.json'), 'utf8'));
    expect(report.binding.notApplicable.length).toBeGreaterThan(0);
    expect(report.binding.notApplicable.every((id: string) => id.startsWith('MCP-'))).toBe(true);
    expect(Number(line![1])).toBe(report.binding.notApplicable.length);
    expect(r.stdout.trimEnd().split('\n').slice(-2)[0]).toBe('GATE PASSED');
    const g = JSON.parse(readFileSync(join(work, 'plain', 'gate.json'), 'utf8'));
    expect(g).toMatchObject({ verdict: 'passed', exitCode: 0 });
    expect(g.profile.seed).toBe(1);
    expect(existsSync(join(work, 'plain', 'report.sarif'))).toBe(true);
  }, 60_000);

  it('a read-only gate says it covers read-only only; config keys apply and flags win', async () => {
    writeFileSync(join(work, 'ro.yaml'), ['safety: read-only', 'profile: core', 'seed: 42', 'only: [ENV-00*, AUTHN-001, AUTHN-004]', `out: ${w('ro-out')}`, 'reporters: [json]'].join('\n'));
    const r = await cli(['gate', '--config', w('ro.yaml'), '--seed', '43', '--out', w('ro-flag')]);
    expect(r.stdout).toContain(`gate config: ${w('ro.yaml')}`);
    expect(r.stdout).toContain('seed 43');
    const g = JSON.parse(readFileSync(join(work, 'ro-flag', 'gate.json'), 'utf8'));
    expect(g.profile).toMatchObject({ seed: 43, safety: 'read-only', profile: 'core' });
    expect(g.profile.heldBack.ids.length).toBeGreaterThan(0);
    expect(existsSync(join(work, 'ro-out'))).toBe(false);
    // The config's reporters apply (no summary.md, which the default list has); report.json and report.sarif are
    // every gate's (merge reads the one, code scanning the other).
    expect(existsSync(join(work, 'ro-flag', 'summary.md'))).toBe(false);
    expect(existsSync(join(work, 'ro-flag', 'report.sarif'))).toBe(true);
    expect(existsSync(join(work, 'ro-flag', 'report.json'))).toBe(true);
    // `only` in the config makes the profile step a selection: it never claims every MUST passed.
    expect(r.stdout).toMatch(/profile +PASS +core at safety read-only: .*checks above read-only not run — this gate covers checks at or below read-only only; SELECTION PASSED \(a subset: no profile verdict\)/);
    expect(r.stdout).not.toMatch(/every MUST/);
    expect(r.code).toBe(0);
  }, 60_000);

  it('gate --only words its verdict and exits as run --only does: a selection, never "every MUST passed"', async () => {
    const run = await cli(['run', '--only', 'AUTHN-001', '--reporter', 'pretty', '--out', w('only-run')]);
    const gate = await cli(['gate', '--only', 'AUTHN-001', '--reporter', 'json', '--out', w('only-gate')]);
    expect(run.stdout).toMatch(/· SELECTION PASSED \(a subset: no profile verdict\)\n/);
    expect(gate.stdout).toMatch(/profile +PASS .*; SELECTION PASSED \(a subset: no profile verdict\)\n/);
    expect(gate.stdout.trimEnd().split('\n').slice(-2)[0]).toBe('GATE: SELECTION PASSED (a subset: no profile verdict)');
    expect(gate.stdout).not.toMatch(/GATE PASSED|every MUST/);
    expect([gate.code, run.code]).toEqual([0, 0]);
    const g = JSON.parse(readFileSync(join(work, 'only-gate', 'gate.json'), 'utf8'));
    expect(g).toMatchObject({ verdict: 'selection-passed', exitCode: 0, profile: { verdict: 'selection-passed', gate: { baseline: null } } });
    // Without json or sarif in --reporter, a shard still leaves what merge reads and what code scanning shows.
    const junit = await cli(['gate', '--only', 'AUTHN-001', '--reporter', 'junit', '--out', w('only-junit')]);
    expect(junit.code).toBe(0);
    expect(readdirSync(join(work, 'only-junit')).filter((f) => !f.endsWith('.jsonl')).sort()).toEqual(['gate.json', 'gate.md', 'junit.xml', 'report.json', 'report.sarif']);
  }, 60_000);

  it('a journal the disk refuses: the gate finishes and writes its reports, then exits 2 naming the file', async () => {
    mkdirSync(w('full'));
    // The journal's path leads to /dev/full (Linux), which refuses every write.
    symlinkSync('/dev/full', join(w('full'), 'exchanges.jsonl'));
    const r = await cli(['gate', '--only', 'AUTHN-001', '--reporter', 'json', '--out', w('full')]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/cannot write the exchange journal .*exchanges\.jsonl: .*ENOSPC.*the gate finished/);
    expect(JSON.parse(readFileSync(join(w('full'), 'gate.json'), 'utf8')).profile.evidence.journal).toMatchObject({ truncated: true, error: expect.stringContaining('ENOSPC') });
    expect(JSON.parse(readFileSync(join(w('full'), 'report.json'), 'utf8')).evidence.journal).toMatchObject({ truncated: true, error: expect.stringContaining('ENOSPC') });
  }, 60_000);

  it('takes credentials from the environment and prints where they come from, never the value', async () => {
    const token = 'op_' + 'thisisnotarealtokenbutlongenoughtolooklikeone1';
    writeFileSync(join(work, 'cred-env.yaml'), ['url: http://127.0.0.1:9', 'credentials:', '  token: { env: OPC_TEST_TOKEN }', 'only: [ENV-001]', 'profile: core'].join('\n'));
    const r = await cli(['gate', '--config', w('cred-env.yaml'), '--out', w('cred')], { env: { OPC_TEST_TOKEN: token } });
    expect(r.stdout).toContain('token:      env OPC_TEST_TOKEN');
    // Nothing listens there: the run stops before its first check, and its reports still never hold the token.
    expect(r.code).toBe(3);
    for (const f of ['gate.json', 'gate.md', 'report.json', 'report.sarif']) expect(readFileSync(join(work, 'cred', f), 'utf8'), f).not.toContain(token.slice(8));
    expect(r.stdout).not.toContain(token.slice(8));
  }, 60_000);

  it('fails a planted release tree (exit 1) and passes it cleaned', async () => {
    const { plantTree, MARKER } = await import('./plant.js');
    const cfg = join(work, 'scan.yaml');
    writeFileSync(cfg, `scan:\n  privateMarkers:\n    - { name: ${MARKER.name}, pattern: '${MARKER.pattern}' }\n`);
    const dirty = plantTree(true);
    const clean = plantTree(false);
    try {
      const bad = await cli(['gate', '--config', cfg, '--scan', dirty, '--only', 'ENV-002', '--out', w('dirty')]);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toMatch(/release-tree +FAIL .*7 findings/);
      expect(bad.stdout.trimEnd().split('\n').slice(-2)[0]).toBe('GATE FAILED');
      const good = await cli(['gate', '--config', cfg, '--scan', clean, '--only', 'ENV-002', '--out', w('clean')]);
      expect(good.code).toBe(0);
    } finally {
      rmSync(dirty, { recursive: true, force: true });
      rmSync(clean, { recursive: true, force: true });
    }
  }, 60_000);

  it('a configuration that sets deployment.live: true makes an unreadable admin plane an error of the step, not a skip', async () => {
    const token = ['--token', `op_${'A'.repeat(43)}`];
    writeFileSync(join(work, 'live.yaml'), 'deployment: { live: true }\n');
    const required = await cli(['gate', 'http://127.0.0.1:9', '--config', w('live.yaml'), ...token, '--out', w('live')]);
    expect(required.stdout).toMatch(/deployment +ERROR deployment\.live is true, but there is no admin plane to read/);
    const byDefault = await cli(['gate', 'http://127.0.0.1:9', ...token, '--reporter', 'json,junit,sarif,markdown', '--out', w('live-default')]);
    expect(byDefault.stdout).toMatch(/deployment +SKIP +no admin plane to read/);
    // The settings printed first say so too, rather than promising the live admin plane.
    expect(byDefault.stdout).toContain('  deployment: live admin plane, but none to read without --admin-header (skipped) · max window 24 h\n');
    // A profile that stopped before its first check still leaves every report, report.json with the reason (as `run` does).
    expect(byDefault.code).toBe(3);
    expect(byDefault.stdout).toMatch(/profile +ERROR +could not evaluate: cannot reach http:\/\/127\.0\.0\.1:9/);
    const stopped = JSON.parse(readFileSync(w('live-default/report.json'), 'utf8'));
    expect(stopped).toMatchObject({ verdict: 'incomplete', exitCode: 3, toolError: expect.stringContaining('cannot reach http://127.0.0.1:9'), gate: { verdict: 'incomplete', exitCode: 3 } });
    for (const f of ['gate.json', 'gate.md', 'junit.xml', 'report.sarif', 'summary.md']) expect(existsSync(w(`live-default/${f}`)), f).toBe(true);
    // Files are scanned instead of the live plane: a config asking for both is refused, not half obeyed.
    writeFileSync(join(work, 'both.yaml'), 'deployment: { live: true, files: [dep.json] }\n');
    const both = await cli(['gate', '--config', w('both.yaml'), '--out', w('live-both')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain(`gate config ${w('both.yaml')}: /deployment: live is true, but files are given too`);
    expect(existsSync(w('live-both'))).toBe(false);
  });

  it('reads the credentials from the environment against a url named on the command line or in the config, never embedded', async () => {
    const env = { OPENPORT_CONFORM_TOKEN: `op_Env${'B'.repeat(40)}`, OPENPORT_CONFORM_ADMIN_HEADERS: 'x-admin-user: admin_env_only' };
    writeFileSync(join(work, 'url.yaml'), 'url: http://127.0.0.1:9\n');
    const fromConfig = await cli(['gate', '--config', w('url.yaml'), '--out', w('env-config')], { env });
    const fromFlag = await cli(['gate', 'http://127.0.0.1:9', '--out', w('env-flag')], { env });
    for (const r of [fromConfig, fromFlag]) {
      expect(r.stdout).toMatch(/ token: +op_EnvBB…\n/);
      expect(r.stdout).toMatch(/ admin: +x-admin-user \(admin_en…\)\n/);
      expect(r.stdout + r.stderr).not.toContain('admin_env_only');
    }
    const embedded = await cli(['gate', '--only', 'ENV-002', '--out', w('env-embedded')], { env });
    expect(embedded.stdout).toMatch(/ token: +\(none\)\n/);
  }, 60_000);

  it('refuses a rule --fail-on or deployment.fail names that is no rule of the deployment scan (exit 2)', async () => {
    for (const id of ['GATE-099', 'GATE-007']) {
      const flag = await cli(['gate', '--fail-on', id, '--out', w('fail-on')]);
      expect(flag.code, id).toBe(2);
      expect(flag.stderr, id).toContain(`"${id}" is not a rule of the deployment scan (GATE-001, GATE-002, GATE-003, GATE-004, GATE-005, GATE-006)`);
    }
    writeFileSync(join(work, 'fail-099.yaml'), 'deployment: { fail: [GATE-099] }\n');
    const config = await cli(['gate', '--config', w('fail-099.yaml'), '--out', w('fail-on')]);
    expect(config.code).toBe(2);
    expect(config.stderr).toContain(`gate config ${w('fail-099.yaml')}: /deployment/fail: "GATE-099" is not a rule of the deployment scan`);
  });

  it('refuses a bad config with exit 2, naming the file, the path and the allowed keys — before any request', async () => {
    writeFileSync(join(work, 'bad.yaml'), 'scan:\n  rots: [dist]\n');
    const r = await cli(['gate', '--config', w('bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid gate config .*bad\.yaml: \/scan\/rots: unknown key "rots"; allowed keys at \/scan: roots, tracked, history/);
    writeFileSync(join(work, 'cred.yaml'), 'credentials:\n  token: { env: OPC_UNSET_VARIABLE }\n');
    const c = await cli(['gate', '--config', w('cred.yaml')]);
    expect(c.code).toBe(2);
    expect(c.stderr).toContain(`gate config ${w('cred.yaml')}: /credentials/token: environment variable OPC_UNSET_VARIABLE is not set`);
    writeFileSync(join(work, 'value.yaml'), 'credentials:\n  token: op_secretvaluegoeshere\n');
    const v = await cli(['gate', '--config', w('value.yaml')]);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain('/credentials/token');
    expect(v.stderr).not.toContain('op_secretvaluegoeshere');
  });

  it('baseline update writes a baseline that makes the faulted gate pass; removing the fault makes the entry stale', async () => {
    const args = ['--fault', 'authn-revocation-cache', '--only', 'AUTHN-00*', '--profile', 'core'];
    const u = await cli(['baseline', 'update', ...args, '--baseline', w('known.yaml'), '--out', w('bu-known')]);
    expect(u.stdout).toContain(`wrote ${w('known.yaml')}: 1 entries (1 need a reason)`);
    expect(u.code).toBe(0);
    // The run it took the baseline from left its reports in --out.
    expect(u.stdout).toContain(`Reports: ${join(work, 'bu-known', 'report.json')}`);
    expect((JSON.parse(readFileSync(join(work, 'bu-known', 'report.json'), 'utf8')) as { results: { id: string; status: string }[] }).results.find((x) => x.id === 'AUTHN-004')?.status).toBe('fail');
    const b = parse(readFileSync(join(work, 'known.yaml'), 'utf8'));
    expect(b.entries).toMatchObject([{ id: 'AUTHN-004', expect: 'fail', fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) }]);
    // An entry nobody explained accepts nothing: the gate refuses the placeholder reason (exit 2).
    const todo = await cli(['gate', ...args, '--baseline', w('known.yaml'), '--out', w('todo')]);
    expect(todo.code).toBe(2);
    expect(todo.stderr).toContain(`invalid baseline ${w('known.yaml')}: /entries/0/reason "TODO`);
    // A refresh keeps the entry while it waits for its reason.
    expect((await cli(['baseline', 'update', ...args, '--baseline', w('known.yaml'), '--out', w('bu-again')])).stdout).toContain('1 entries (1 need a reason)');
    writeFileSync(join(work, 'known.yaml'), readFileSync(join(work, 'known.yaml'), 'utf8').replace(/reason: .*/, 'reason: revocation cache fix ships in 2.1'));
    const pass = await cli(['gate', ...args, '--baseline', w('known.yaml'), '--out', w('known')]);
    expect(pass.stdout).toContain(`${w('known.yaml')} (1 entries)`);
    expect(pass.stdout).toMatch(/baseline +PASS .*1 suppressed, 0 stale/);
    expect(pass.code).toBe(0);
    const sarif = JSON.parse(readFileSync(join(work, 'known', 'report.sarif'), 'utf8'));
    expect(sarif.runs[0].results[0].suppressions[0].justification).toBe('revocation cache fix ships in 2.1');
    const stale = await cli(['gate', '--only', 'AUTHN-00*', '--profile', 'core', '--baseline', w('known.yaml'), '--out', w('stale')]);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/stale AUTHN-004: its check now passes; remove the entry/);
    // A refresh under a selection that does not evaluate AUTHN-004 keeps the reviewed entry as it is.
    const before = readFileSync(w('known.yaml'), 'utf8');
    const other = await cli(['baseline', 'update', '--fault', 'authn-revocation-cache', '--only', 'ENV-001', '--profile', 'core', '--baseline', w('known.yaml'), '--out', w('bu-other')]);
    expect(other.stdout).toContain(`wrote ${w('known.yaml')}: 1 entries (0 need a reason; kept AUTHN-004 as they were: this run did not evaluate their checks)`);
    expect(parse(readFileSync(w('known.yaml'), 'utf8'))).toEqual(parse(before));
    // A refresh that evaluates it and sees it pass drops it.
    const passing = await cli(['baseline', 'update', '--only', 'AUTHN-00*', '--profile', 'core', '--baseline', w('known.yaml'), '--out', w('bu-pass')]);
    expect(passing.stdout).toContain('0 entries (0 need a reason; dropped AUTHN-004)');
  }, 60_000);

  it('baseline update migrates a fingerprint the previous, prose-based computation wrote, and says how many', async () => {
    // The entry test/gate/fingerprint.test.ts pins: DISC-001 under disc-show-all-tools at seed 1.
    const old = { id: 'DISC-001', expect: 'fail', fingerprint: 'a3491526cbb7347f', reason: 'manifest filter fix ships in 2.1' };
    writeFileSync(join(work, 'old.yaml'), stringify({ entries: [old] }));
    const args = ['--fault', 'disc-show-all-tools', '--only', 'DISC-001', '--seed', '1'];
    const before = await cli(['gate', ...args, '--baseline', w('old.yaml'), '--out', w('old')]);
    expect(before.code).toBe(0);
    expect(before.stdout).toMatch(/baseline +PASS .*1 suppressed.*1 matched by an old-style fingerprint/);
    const u = await cli(['baseline', 'update', ...args, '--baseline', w('old.yaml'), '--out', w('bu-old')]);
    expect(u.stdout).toContain(`wrote ${w('old.yaml')}: 1 entries (0 need a reason; migrated 1 old-style fingerprint to the field-based form)`);
    expect(u.code).toBe(0);
    const migrated = parse(readFileSync(join(work, 'old.yaml'), 'utf8')).entries[0];
    expect(migrated).toMatchObject({ ...old, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect(migrated.fingerprint).not.toBe(old.fingerprint);
    const after = await cli(['gate', ...args, '--baseline', w('old.yaml'), '--out', w('migrated')]);
    expect(after.code).toBe(0);
    expect(after.stdout).not.toMatch(/old-style/);
  }, 90_000);

  it('a config with history { commits, shallow } is printed; baseline update keeps the tree: entries it did not write', async () => {
    writeFileSync(join(work, 'hist.yaml'), 'scan: { history: { commits: 3, shallow: fail } }\n');
    writeFileSync(join(work, 'tree-known.yaml'), 'entries: []\ntree:\n  - { file: a.ts, rule: GATE-008, fingerprint: 0123456789abcdef, reason: fixture }\n');
    const g = await cli(['gate', '--config', w('hist.yaml'), '--scan', work, '--only', 'ENV-002', '--baseline', w('tree-known.yaml'), '--out', w('hist')]);
    expect(g.stdout).toMatch(new RegExp(`scan: +${esc(work)} \\+ last 3 commits \\(shallow clone: fail\\) · 1 baselined tree findings`));
    const u = await cli(['baseline', 'update', '--only', 'ENV-002', '--baseline', w('tree-known.yaml'), '--out', w('bu-tree')]);
    expect(u.code).toBe(0);
    expect(parse(readFileSync(join(work, 'tree-known.yaml'), 'utf8'))).toEqual({ entries: [], tree: [{ file: 'a.ts', rule: 'GATE-008', fingerprint: '0123456789abcdef', reason: 'fixture' }] });
  }, 60_000);

  it('merge combines shard reports into every format and exits with the whole verdict', async () => {
    const args = ['run', '--profile', 'core', '--fault', 'authn-revocation-cache', '--seed', '5', '--fuzz-runs', '10', '--reporter', 'json'];
    for (const i of [1, 2]) expect((await cli([...args, '--shard', `${i}/2`, '--out', w(`s${i}`)])).code).not.toBe(2);
    const m = await cli(['merge', join(w('s1'), 'report.json'), join(w('s2'), 'report.json'), '--reporter', 'json,junit,sarif,markdown', '--out', w('merged')]);
    expect(m.code).toBe(1);
    const merged = JSON.parse(readFileSync(join(work, 'merged', 'report.json'), 'utf8'));
    expect(merged.verdict).toBe('not-conformant');
    expect(merged.results.find((r: { id: string }) => r.id === 'AUTHN-004').status).toBe('fail');
    for (const f of ['junit.xml', 'report.sarif', 'summary.md']) expect(existsSync(join(work, 'merged', f)), f).toBe(true);
    const bad = await cli(['merge', join(w('s1'), 'report.json')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('missing shard 2/2');
    const badShard = await cli(['run', '--shard', '4/3']);
    expect(badShard.code).toBe(2);
  }, 90_000);
});
