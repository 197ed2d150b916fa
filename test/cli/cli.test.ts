// The commands as a user types them, run in-process through main(argv, io): help, usage errors, explain,
// profiles and run. test/cli/process.test.ts keeps what only the real process shows (exit status, signals, pipes).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { makeDirs } from '../../src/kit/paths.js';
import { closedPort } from '../support/net.js';
import { cli } from '../support/cli.js';

const root = resolve(import.meta.dirname, '..', '..');

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-cli-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.concurrent('help', () => {
  it.each([[[]], [['run']], [['profiles']], [['profiles', 'show']], [['explain']], [['serve']], [['fuzz']]])('%j --help exits 0 with an example', async (cmd) => {
    const out = await cli([...cmd, '--help']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/Usage: openport-conform/);
    expect(out.stdout).toMatch(/Examples?:|\$ openport-conform/);
  });

  it('documents the exit-code table on the root and run help', async () => {
    for (const cmd of [[], ['run']]) {
      const out = await cli([...cmd, '--help']);
      expect(out.stdout).toContain('Exit codes:');
      expect(out.stdout).toMatch(/ {2}3 {2}could not evaluate/);
    }
  });

  it("init's help has its own exit table, and the root help points to verify's code 4 and init's", async () => {
    const init = (await cli(['init', '--help'])).stdout;
    expect(init).toContain('2  usage error, or the description was written with keys to fill in');
    expect(init).not.toContain('conformant');
    expect((await cli(['--help'])).stdout).toContain('verify has a code of its own, 4 (consistent, signer not checked)');
  });

  it('run --help lists choices from their single sources', async () => {
    // Help text wraps at the terminal width; compare with whitespace collapsed.
    const text = (await cli(['run', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(text).toContain('"core", "write-lifecycle", "state-witness"');
    expect(text).toContain('"read-only", "draft", "execute", "load"');
    expect(text).toContain('pretty, json, junit, sarif, markdown');
    expect(text).toContain('"demo", "helpdesk"');
  });
});

describe.concurrent('usage errors exit 2 and say what to fix', () => {
  it.each([
    [['run', '--admin-header', 'x-admin-user=admin_demo'], /--admin-header.*'Name: value'/],
    [['run', '--profile', 'gold'], /--profile.*Allowed choices are core, write-lifecycle, state-witness/],
    [['run', '--safety', 'all'], /--safety.*Allowed choices are read-only, draft, execute, load/],
    [['run', '--reporter', 'pretty,xml'], /--reporter.*unknown reporter "xml"; choose from pretty, json, junit, sarif, markdown/],
    [['run', '--seed', 'abc'], /--seed.*expected a seed/],
    [['run', '--concurrency', '0'], /--concurrency.*integer from 1/],
    [['run', 'ftp://127.0.0.1/'], /must use http:\/\/ or https:\/\//],
    [['run', 'not a url'], /is not a URL/],
    [['runn'], /unknown command 'runn'/],
    [['explain', 'AUTHN-04'], /neither a requirement id nor a reason code; did you mean: AUTHN-004/],
    [['explain', 'agent.scope_deny'], /did you mean: .*agent\.scope_denied/],
    [['explain', 'witness'], /did you mean: WITNESS-001, WITNESS-002/],
    [['run', '--target', 'no-such-target.yaml'], /^openport-conform: target file no-such-target\.yaml does not exist\n$/],
    [['profiles', 'show', 'gold'], /unknown profile "gold"; valid profiles: core, state-witness, write-lifecycle/],
    [['run', '--domain', 'crm'], /--domain.*Allowed choices are demo, helpdesk/],
    [['mutate', '--domain', 'crm'], /--domain.*Allowed choices are demo, helpdesk/],
    [['mutate', '--threads', '17'], /--threads.*16/],
    // Nothing judged is no OK: a fault of the other binding alone.
    [['mutate', '--fault', 'mcp-no-annotations', '--threads', '0'], /none of the 1 fault\(s\) selected applies to the http binding: nothing was judged; --binding mcp judges them/],
    [['run', 'http://127.0.0.1:9', '--domain', 'helpdesk'], /--domain applies only to the embedded runtime/],
    [['fuzz', 'http://127.0.0.1:9', '--domain', 'helpdesk'], /--domain applies only to the embedded runtime/],
    [['verify', 'no-such-bundle', '--replay', 'ftp://127.0.0.1/'], /--replay.*"ftp:\/\/127\.0\.0\.1\/" must use http:\/\/ or https:\/\//],
  ])('%j', async (args, message) => {
    // Commands with reports get an --out of the test's own: a usage error may come after --out was created.
    const out = await cli(['run', 'fuzz'].includes(args[0]!) ? [...args, '--out', join(work, 'usage')] : args);
    expect(out.code).toBe(2);
    // A usage error leaves nothing behind: the report directory is made when a run starts.
    expect(existsSync(join(work, 'usage'))).toBe(false);
    expect(out.stderr).toMatch(message);
    expect(out.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('mutate with nothing to judge', () => {
  it('--json says ok: false with the exit 2, not an OK report', async () => {
    const out = await cli(['mutate', '--fault', 'mcp-no-annotations', '--threads', '0', '--json']);
    expect(out.code).toBe(2);
    const report = JSON.parse(out.stdout);
    expect(report.score).toEqual({ killed: 0, total: 0, notApplicable: 1 });
    expect(report.ok).toBe(false);
  });
});

describe.concurrent('explain and profiles', () => {
  it('explain AUTHN-004 prints the requirement, its level, layer and profiles', async () => {
    const out = await cli(['explain', 'authn-004']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^AUTHN-004 {2}MUST · layer core\nA revoked key is refused with 401 agent\.token_invalid/);
    expect(out.stdout).toMatch(/Profiles: +core, write-lifecycle, state-witness/);
    expect(out.stdout).toMatch(/Check: /);
    expect(out.stdout).toMatch(/Rests on: +brief §6 \(2\): "revocation effective on the very next request, no caching"/);
  });

  it('explain ID --target FILE shows the description keys the check reads and the requests it sends to that domain', async () => {
    const out = await cli(['explain', 'TENANT-001', '--target', 'fixtures/targets/helpdesk.yaml']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/containers\.contentsTool = "ticket\.list"/);
    expect(out.stdout).toMatch(/serving the helpdesk domain, where it ended pass/);
    expect(out.stdout).toMatch(/GET \/api\/agent\/v1\/tickets\?projectId=prj_billing {2}→ 403/);
    expect(out.stdout).not.toMatch(/ledger/);
  });

  it('explain agent.precondition_failed prints status, meaning and the requirements that expect it', async () => {
    const out = await cli(['explain', 'agent.precondition_failed']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^agent\.precondition_failed {2}HTTP 409 · core\n.*State Witness/);
    expect(out.stdout).toMatch(/ {2}WITNESS-002 \(MUST\)/);
    expect(out.stdout).toMatch(/ {2}WITNESS-003 \(MUST\)/);
    expect(out.stdout).not.toMatch(/AUTHN-001/);
  });

  it('explain of a code carried in data says so', async () => {
    const out = await cli(['explain', 'agent.auto_execute_disabled']);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('no HTTP status of its own');
    expect(out.stdout).toContain('data.autoExecuteDeniedCode');
  });

  it('profiles show core lists the resolved requirements with level and layer, and only core ones', async () => {
    const out = await cli(['profiles', 'show', 'core']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^core: /);
    expect(out.stdout).toMatch(/\nENV-001 +MUST +core +(check|no check) +Every agent-plane endpoint/);
    expect(out.stdout).toMatch(/\nAUTHN-007 +SHOULD +core /);
    expect(out.stdout).not.toMatch(/WRITE-001|WITNESS-001/);
  });

  it('profiles lists every profile with what it extends', async () => {
    const out = await cli(['profiles']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/^core +\d+ requirements, \d+ with checks/m);
    expect(out.stdout).toMatch(/^write-lifecycle +extends core; \d+ requirements/m);
    expect(out.stdout).toMatch(/^state-witness +extends write-lifecycle; /m);
  });
});

describe('run', () => {
  it('refuses an --out that cannot be a directory before sending any traffic', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    const out = await cli(['run', 'http://127.0.0.1:9', '--reporter', 'json', '--out', join(file, 'sub')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/^openport-conform: --out .*cannot create the report directory/);
  });

  it('refuses an --out under a directory that answers a new entry with ENOENT (/proc) with exit 2, where a recursive mkdir never returns', () => {
    // In a process of its own, killed outright should it hang: a blocked event loop takes no SIGTERM.
    const r = spawnSync(process.execPath, [join(root, 'bin', 'openport-conform.js'), 'run', 'http://127.0.0.1:9', '--reporter', 'json', '--out', '/proc/opc-no-such/reports'], { encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^openport-conform: --out \/proc\/opc-no-such\/reports: cannot create the report directory \((ENOENT|EACCES)/);
  });

  it('makes the --out directory and its missing parents', () => {
    const dir = join(work, 'made', 'deep', 'er');
    makeDirs(dir);
    makeDirs(dir);
    expect(readdirSync(join(work, 'made', 'deep'))).toEqual(['er']);
    writeFileSync(join(work, 'made', 'f'), 'x');
    expect(() => makeDirs(join(work, 'made', 'f', 'sub'))).toThrow(/ENOTDIR/);
    expect(() => makeDirs(join(work, 'made', 'f'))).toThrow(/EEXIST/);
  });

  it('against an unreachable target exits 3 with a one-line error and no stack', async () => {
    const port = await closedPort();
    const out = await cli(['run', `http://127.0.0.1:${port}`, '--out', join(work, 'unreachable')]);
    expect(out.code).toBe(3);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^openport-conform: .*127\.0\.0\.1/);
  });

  it('against an unreachable target still writes every requested report, with the tool error, and prints the verdict line', async () => {
    const port = await closedPort();
    const outDir = join(work, 'unreachable-reports');
    const out = await cli(['run', `http://127.0.0.1:${port}`, '--reporter', 'json,junit,sarif,markdown,html', '--out', outDir]);
    expect(out.code).toBe(3);
    expect(readdirSync(outDir).sort()).toEqual(['exchanges.jsonl', 'junit.xml', 'report.html', 'report.json', 'report.sarif', 'summary.md']);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ verdict: 'incomplete', exitCode: 3, toolError: `cannot reach http://127.0.0.1:${port}: ECONNREFUSED`, results: [] });
    const schema = JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'report.schema.json'), 'utf8'));
    expect(new Ajv().compile(schema)(report)).toBe(true);
    for (const f of ['junit.xml', 'report.sarif', 'summary.md', 'report.html']) expect(readFileSync(join(outDir, f), 'utf8'), f).toContain('ECONNREFUSED');
    // No pretty reporter, and still the verdict and where the files are.
    // The seed the run had chosen (a replay gets the same), not a placeholder 0.
    expect(out.stdout).toMatch(new RegExp(`^0 checks: 0 passed · \\d+ ms · seed ${report.seed} · INCOMPLETE \\(could not evaluate\\)\\nReports: .*report\\.json, .*junit\\.xml`, 'm'));
    expect(report.seed).not.toBe(0);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a journal the disk refuses: the run finishes, its reports are written and say the journal is truncated, and the exit is 2 naming the file', async () => {
    const out = mkdtempSync(join(tmpdir(), 'opc-journal-full-'));
    try {
      // The journal's path leads to /dev/full (Linux), which refuses every write.
      symlinkSync('/dev/full', join(out, 'exchanges.jsonl'));
      const r = await cli(['run', '--reporter', 'json', '--out', out, '--only', 'ENV-001,DISC-001']);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/cannot write the exchange journal .*exchanges\.jsonl: .*ENOSPC.*the run finished; its journal is truncated/);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { verdict: string; evidence: { journal: { truncated: boolean; error?: string } } };
      expect(report.evidence.journal).toMatchObject({ truncated: true, entries: 0, error: expect.stringContaining('ENOSPC') });
      expect(report.verdict).not.toBe('error');
      const schema = JSON.parse(readFileSync(join(root, 'fixtures', 'schemas', 'report.schema.json'), 'utf8'));
      expect(new Ajv().compile(schema)(report)).toBe(true);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('--list prints the plan (id, level, layer, safety, needs, outcome, why) and sends nothing', async () => {
    // The port is closed: a run would exit 3; a dry run never connects.
    const port = await closedPort();
    const out = await cli(['run', `http://127.0.0.1:${port}`, '--token', 'op_listtokenlisttoken', '--list', '--only', 'AUTHN-00[1-4]']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/dry run: no request sent/);
    expect(out.stdout).toMatch(/^id +level +layer +safety +needs +outcome +why$/m);
    expect(out.stdout).toMatch(/^AUTHN-001 +MUST +core +read-only +- +run$/m);
    expect(out.stdout).toMatch(/^AUTHN-004 +MUST +core +draft +admin +held back +safety draft is above --safety read-only; to run it add --admin-header 'Name: value' and --safety draft$/m);
    expect(out.stdout).toContain('3 would run, 0 would be skipped, 1 held back\n');
  });

  it('--list --binding mcp marks the checks of the HTTP binding itself as skipped, outside the verdict', async () => {
    const out = await cli(['run', '--binding', 'mcp', '--list', '--only', 'AUTHN-001,AUTHN-007']);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/binding mcp · safety load · dry run/);
    expect(out.stdout).toMatch(/^AUTHN-001 +MUST +core +read-only +- +run$/m);
    expect(out.stdout).toMatch(/^AUTHN-007 +SHOULD +core +read-only +token +skip +does not apply to the MCP binding: it judges the HTTP binding itself \(docs\/mcp-binding\.md\) \(outside the verdict\)$/m);
    expect(out.stdout).toContain('1 would run, 1 would be skipped');
  });

  it('--only X --exclude X is a usage error, not a run of nothing', async () => {
    const out = await cli(['run', '--only', 'DISC-001', '--exclude', 'DISC-*', '--out', join(work, 'nothing')]);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/nothing would run/);
  });

  it('a selection that passes is a selection verdict, never CONFORMANT', async () => {
    const outDir = join(work, 'selection');
    const out = await cli(['run', '--only', 'DISC-00[12]', '--reporter', 'json,junit', '--out', outDir]);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/2 checks: 2 passed · .* · SELECTION PASSED \(a subset: no profile verdict\)\nReports: /);
    expect(out.stdout).not.toMatch(/\bCONFORMANT\b/);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8'));
    expect(report).toMatchObject({ verdict: 'selection-passed', selection: { only: ['DISC-00[12]'], exclude: [], ids: ['DISC-001', 'DISC-002'] } });
  }, 60_000);
});
