// Every kind of replay line a finding prints is pasted into a shell, as a user would, and must give the
// same finding: the replay command of an embedded run, the fuzz command of a counterexample (a seed above
// 2^31 that once printed negative), and the curl line of a run against a URL (credentials as variables).
// The runs that find are in-process (main(argv, io)); what is pasted runs in sh, with the shell's quoting.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pasteWorkspace, type PasteWorkspace } from '../support/paste.js';
import { cli, startServe, type Served } from '../support/cli.js';


interface Out { code: number; stdout: string; stderr: string }
interface Result { id: string; status: string; message?: string; reproduce?: string }

let work: PasteWorkspace;
const servers: Served[] = [];

beforeAll(() => {
  work = pasteWorkspace('opc-replay-');
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  work.remove();
});

/** Paste `line` into sh in a fresh directory (reports land in its openport-report/). */
function paste(line: string, env: Record<string, string> = {}): Promise<Out & { cwd: string }> {
  const cwd = work.fresh('paste-');
  return new Promise((done) => {
    execFile('sh', ['-c', line], { cwd, env: { ...process.env, NO_COLOR: '1', PATH: work.path, ...env }, timeout: 120_000 }, (err, stdout, stderr) =>
      done({ code: err ? Number(err.code) : 0, stdout, stderr, cwd }));
  });
}

function resultOf(dir: string, id: string): Result {
  const report = JSON.parse(readFileSync(join(dir, 'openport-report', 'report.json'), 'utf8')) as { results: Result[] };
  return report.results.find((r) => r.id === id)!;
}

/** Run a command in-process with its reports in a fresh directory's openport-report/, as a paste would. */
async function find(args: string[], env: Record<string, string> = {}): Promise<Out & { cwd: string }> {
  const cwd = work.fresh('find-');
  return { ...(await cli([...args, '--out', join(cwd, 'openport-report')], { env })), cwd };
}

/** A message without what legitimately differs between runs: case counts, and the tokens each run mints. */
const gist = (m: string | undefined) => (m ?? '').replace(/found after \d+ cases, shrunk \d+ times/, 'found after N cases').replace(/op_[\w-]+…/g, 'op_…');

describe('replay lines work when pasted', () => {
  it("fuzz --help's --path example replays its counterexample: the finding's own replay line is the example", async () => {
    const help = (await cli(['fuzz', '--help'])).stdout;
    const example = /\$ (openport-conform fuzz [^\n]*--path [^\n]*?) --save-corpus\n/.exec(help)?.[1];
    expect(example).toBeDefined();
    const again = await paste(`${example} --reporter json`);
    expect(again.code).toBe(1);
    const id = /--only (FUZZ-\d+)/.exec(example!)![1]!;
    const replayed = resultOf(again.cwd, id);
    expect(replayed.status).toBe('fail');
    expect(replayed.reproduce!.replace(/^npx /, '')).toBe(example!.replace('openport-conform fuzz', 'openport-conform fuzz --profile write-lifecycle').replace(/ --fault (\S+) --only (\S+) --seed (\d+) --path (\S+)/, ' --only $2 --seed $3 --path $4 --fault $1'));
  }, 120_000);

  it('the replay command of an embedded run reproduces the finding (with its --fault)', async () => {
    const first = await find(['run', '--profile', 'core', '--fault', 'authn-revocation-cache', '--seed', '12', '--reporter', 'json']);
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'AUTHN-004');
    expect(finding.status).toBe('fail');
    expect(finding.reproduce).toMatch(/^openport-conform run --profile core --only AUTHN-004 --seed 12 --fault authn-revocation-cache/);
    const again = await paste(finding.reproduce!);
    expect(again.code).toBe(1);
    expect(resultOf(again.cwd, 'AUTHN-004')).toMatchObject({ status: 'fail', message: finding.message });
  }, 120_000);

  it('the fuzz command of a counterexample replays it exactly: unsigned seed, fault and path', async () => {
    const first = await find(['fuzz', '--fault', 'fuzz-echo-token', '--only', 'FUZZ-003', '--seed', '4000000000', '--reporter', 'json']);
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'FUZZ-003');
    expect(finding.reproduce).toMatch(/^openport-conform fuzz --profile write-lifecycle --only FUZZ-003 --seed 4000000000 --path \d+(:\d+)* --fault fuzz-echo-token$/);
    expect(finding.message).not.toMatch(/seed -/);
    const again = await paste(finding.reproduce!);
    expect(again.code).toBe(1);
    const replayed = resultOf(again.cwd, 'FUZZ-003');
    expect(replayed.status).toBe('fail');
    expect(gist(replayed.message)).toBe(gist(finding.message));
  }, 120_000);

  it('the fuzz command of a counterexample found over the MCP binding replays it over that binding', async () => {
    // The stateful model's sequences are generated (FUZZ-007 runs its fixed probes first, which replay with `run`).
    const first = await find(['run', '--binding', 'mcp', '--fault', 'authn-revocation-cache', '--only', 'FUZZ-005', '--seed', '1', '--reporter', 'json']);
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'FUZZ-005');
    expect(finding.reproduce).toMatch(/^openport-conform fuzz --profile state-witness --only FUZZ-005 --seed 1 --path \S+ --fault authn-revocation-cache --binding mcp$/);
    // What the server answered is an MCP call, in the finding and in its replay.
    expect(JSON.stringify(finding)).toContain('MCP tools/');
    const again = await paste(finding.reproduce!);
    expect(again.code).toBe(1);
    const replayed = resultOf(again.cwd, 'FUZZ-005');
    expect(gist(replayed.message)).toBe(gist(finding.message));
    expect(JSON.stringify(replayed)).toContain('MCP tools/');
  }, 120_000);

  it('the curl line of a run against a URL shows the defect again, with the token from $OPENPORT_TOKEN', async () => {
    const served = await startServe(['--fault', 'disc-write-no-confirmation']);
    servers.push(served);
    const first = await find(['run', served.url, '--only', 'DISC-002', '--token', served.agentToken, '--reporter', 'json']);
    expect(first.code).toBe(1);
    const finding = resultOf(first.cwd, 'DISC-002');
    expect(finding.status).toBe('fail');
    expect(finding.reproduce).toContain('"authorization: Bearer $OPENPORT_TOKEN"');
    expect(finding.reproduce).not.toContain(served.agentToken);
    const again = await paste(finding.reproduce!, { OPENPORT_TOKEN: served.agentToken });
    expect(again.code).toBe(0);
    const tools = (JSON.parse(again.stdout) as { data: { tools: { name: string; requiresConfirmation: boolean; kind?: string }[] } }).data.tools;
    // The defect the finding names, seen again in the pasted request's answer: a write tool without confirmation.
    expect(tools.some((t) => t.kind === 'action' && t.requiresConfirmation === false)).toBe(true);
  }, 120_000);
});

describe("the operator's fuzz corpus", () => {
  it('fuzz --save-corpus DIR writes there, never into the package; run --corpus DIR replays it (FUZZ-008), and the finding keeps it in its replay line', async () => {
    const shippedDir = join(import.meta.dirname, '..', '..', 'fuzz', 'corpus');
    const shipped = readdirSync(shippedDir).sort();
    const dir = join(work.fresh('corpus-'), 'mine');
    const saved = await find(['fuzz', '--fault', 'fuzz-echo-token', '--only', 'FUZZ-003', '--seed', '4', '--save-corpus', dir]);
    expect(saved.code, saved.stderr).toBe(1);
    expect(saved.stdout).toMatch(/saved counterexample \S+\.json/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.json')).length).toBeGreaterThan(0);
    expect(readdirSync(shippedDir).sort()).toEqual(shipped);
    // A case of the operator's own, for a defect no shipped case reaches: an admin route asked without admin credentials.
    const own = { id: 'admin-unauth', requirement: 'FUZZ-001', seed: 1, path: '0', note: 'an admin route without admin credentials', request: { plane: 'agent', method: 'GET', path: '/api/agent-admin/v1/apps', headers: {} } };
    writeFileSync(join(dir, 'admin-unauth.json'), JSON.stringify(own));
    const shippedOnly = await find(['run', '--fault', 'env-admin-unauth-500', '--only', 'FUZZ-008', '--seed', '1']);
    expect(shippedOnly.code, shippedOnly.stderr).toBe(0);
    const caught = await find(['run', '--fault', 'env-admin-unauth-500', '--only', 'FUZZ-008', '--seed', '1', '--corpus', dir]);
    expect(caught.code, caught.stderr).toBe(1);
    const result = resultOf(caught.cwd, 'FUZZ-008');
    expect(result.message).toMatch(/^corpus case admin-unauth \(FUZZ-001\) regressed/);
    expect(result.reproduce).toContain(`--corpus ${dir}`);
    const pasted = await paste(result.reproduce!.replace(/^npx /, ''));
    expect(pasted.code, pasted.stderr).toBe(1);
    expect(resultOf(pasted.cwd, 'FUZZ-008').message).toMatch(/^corpus case admin-unauth/);
    // A url after --save-corpus is the server, never the directory (the option's value is optional).
    const misread = await find(['fuzz', '--save-corpus', 'http://127.0.0.1:9', '--only', 'FUZZ-001']);
    expect(misread.code).toBe(2);
    expect(misread.stderr).toContain('"http://127.0.0.1:9" is a url, not a directory: put the url before --save-corpus, or give the directory as --save-corpus=DIR');
    const missing = await find(['run', '--only', 'FUZZ-008', '--corpus', join(dir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`--corpus ${join(dir, 'nope')}: no such directory`);
  }, 120_000);
});
