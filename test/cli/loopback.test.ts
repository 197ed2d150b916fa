// The whole tool over real loopback HTTP, as a user would run it: `serve` in one command, `run <url>` in
// another, both in-process through main(argv, io) with their own streams and signals. The core profile
// passes on the clean server; a fault served over HTTP is caught. (The state-witness profile over loopback,
// on both domains, is pinned requirement by requirement in pinned-statuses.test.ts.) The servers keep their
// own rate limit, 240 a minute, which the demo target file declares.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startServe, type Served } from '../support/cli.js';

/** `serve --json`, stopped after the file's tests. */
async function serve(...extra: string[]): Promise<Served> {
  const s = await startServe(extra);
  servers.push(s);
  return s;
}

const run = (args: string[]) => cli(['run', ...args]);

let work: string;
const servers: Served[] = [];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-loop-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

const adminFlags = (s: Served) => Object.entries(s.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);

describe('run over loopback HTTP against serve', () => {
  it('passes the whole core profile on the clean server, and keeps tokens out of the reports', async () => {
    const s = await serve();
    const out = join(work, 'clean');
    const r = await run([s.url, '--profile', 'core', '--safety', 'load', '--token', s.agentToken, ...adminFlags(s), '--reporter', 'pretty,json,junit,sarif,markdown', '--out', out, '--seed', '11']);
    expect(r.stdout).toMatch(/CONFORMANT/);
    expect(r.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    expect(report.target).toMatchObject({ url: s.url, embedded: false });
    // The only skips are the MCP binding's own checks, outside the verdict of a run over HTTP.
    const outside: string[] = report.binding.notApplicable;
    expect(outside.length).toBeGreaterThan(0);
    for (const id of outside) expect(id).toMatch(/^MCP-/);
    expect(report.summary.fail + report.summary.error + report.summary.blocked).toBe(0);
    expect(report.summary.skip).toBe(outside.length);
    expect(report.summary.pass).toBe(report.summary.total - outside.length);
    expect(report.cleanup.failed).toEqual([]);
    const secret = Object.values(s.adminHeaders)[0].replace(/^Bearer /, '');
    for (const f of ['report.json', 'junit.xml', 'report.sarif', 'summary.md']) {
      const text = readFileSync(join(out, f), 'utf8');
      expect(text.includes(s.agentToken), f).toBe(false);
      expect(text.includes(secret), f).toBe(false);
    }
    expect(r.stdout.includes(s.agentToken)).toBe(false);
  }, 120_000);

  it('fails the named requirement when the served runtime carries a fault, with a replay line to reproduce (its key was revoked)', async () => {
    const s = await serve('--fault', 'authn-revocation-cache');
    const out = join(work, 'fault');
    const r = await run([s.url, '--only', 'AUTHN-*', '--safety', 'draft', ...adminFlags(s), '--token', s.agentToken, '--reporter', 'json', '--out', out]);
    expect(r.code).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const failed = report.results.filter((x: { status: string }) => x.status === 'fail').map((x: { id: string }) => x.id);
    expect(failed).toEqual(['AUTHN-004']);
    const res = report.results.find((x: { id: string }) => x.id === 'AUTHN-004');
    // The failing request used a test key the run revoked: a curl line would get 401, the replay makes a fresh one.
    expect(res.reproduce).toMatch(new RegExp(`^openport-conform run ${s.url.replace(/[.:/]/g, '\\$&')} .*--only AUTHN-004 .*# failing request: \\w+ /api/agent/v1/`));
  }, 120_000);

  it('held-back checks make a read-only url run incomplete, and say which flag allows them', async () => {
    const s = await serve();
    const r = await run([s.url, '--token', s.agentToken, '--reporter', 'pretty', '--out', join(work, 'ro')]);
    expect(r.code).toBe(3);
    // The held-back checks need the admin plane: a wider --safety alone would not help, and the hint says so, once.
    expect(r.stdout).toMatch(/held back by --safety read-only; to run them, add --admin-header 'Name: value' and --safety load: /);
    expect(r.stdout.split('held back by').length - 1).toBe(1);
    // With admin credentials and no token, a wider --safety is all they lack: the tool then provisions a token.
    const admin = await run([s.url, ...Object.entries(s.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]), '--reporter', 'pretty', '--out', join(work, 'ro-admin')]);
    expect(admin.stdout).toMatch(/held back by --safety read-only; to run them, add --safety load: /);
    expect(admin.stdout).toMatch(/skipped: needs an agent token; to run them, add --safety draft \(or above\): the tool then provisions one through the admin plane; or --token: /);
    // With no credential at all, admin credentials (which also provision the token) and the safety.
    const none = await run([s.url, '--reporter', 'pretty', '--out', join(work, 'ro-none')]);
    expect(none.stdout).toMatch(/held back by --safety read-only; to run them, add --admin-header 'Name: value' and --safety load: /);
  }, 120_000);

  it('a read-only url run with a token and admin credentials writes nothing: no app, key, policy or draft; DISC-005 reads the admin listing', async () => {
    const s = await serve();
    const out = join(work, 'ro-both');
    const r = await run([s.url, '--token', s.agentToken, ...adminFlags(s), '--reporter', 'json', '--out', out]);
    expect(r.code, r.stderr).toBe(3);
    const exchanges = readFileSync(join(out, 'exchanges.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))
      .filter((x: { request?: { method?: string } }) => x.request?.method !== undefined) as { request: { method: string; path: string }; response: { status: number } }[];
    expect(exchanges.length).toBeGreaterThan(100);
    // Every write the run sent was refused (ids that do not exist, bodies no server can read): none took effect. A
    // preflight computes an impact (brief §2) and changes no domain data (the server keeps a short-lived record).
    const written = exchanges.filter((x) => x.request.method !== 'GET' && !x.request.path.endsWith('/preflight') && x.response.status >= 200 && x.response.status < 300);
    expect(written.map((x) => `${x.request.method} ${x.request.path}`)).toEqual([]);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const disc005 = report.results.find((x: { id: string }) => x.id === 'DISC-005');
    expect(disc005).toMatchObject({ status: 'pass', partial: [expect.stringContaining('--safety read-only: the manifest was compared with the admin plane')] });
    // Checks that use a key of their own from --safety draft on ran on the run's token instead.
    for (const id of ['DISC-002', 'DISC-004', 'ENV-006', 'FUZZ-006']) expect(report.results.find((x: { id: string }) => x.id === id)?.status, id).toBe('pass');
    // A token of an app on the listing's second page (the runtime pages apps by 200): DISC-005 follows the cursor.
    let token = '';
    for (let i = 0; i < 200; i++) {
      const res = await fetch(`${s.url}/api/agent-admin/v1/apps`, { method: 'POST', headers: { ...s.adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'workspace', name: `filler ${i}`, org_id: 'org_demo', service_user_id: 'svc_filler', scopes: ['ledger.read'] }) });
      token = ((await res.json()) as { data: { token: string } }).data.token;
    }
    const paged = await run([s.url, '--token', token, ...adminFlags(s), '--only', 'DISC-005', '--reporter', 'json', '--out', join(work, 'ro-paged')]);
    expect(paged.code, paged.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(work, 'ro-paged', 'report.json'), 'utf8')).results[0]).toMatchObject({ id: 'DISC-005', status: 'pass', partial: [expect.any(String)] });
    // A manifest naming an app the admin plane does not hold gives the read-only comparison nothing to compare
    // with (skip); from --safety draft on, a key of the run's own shows the manifest is another app's (fail).
    const f = await serve('--fault', 'disc-manifest-other-app');
    const ro = await run([f.url, '--token', f.agentToken, ...adminFlags(f), '--only', 'DISC-005', '--reporter', 'json', '--out', join(work, 'ro-fault')]);
    expect(JSON.parse(readFileSync(join(work, 'ro-fault', 'report.json'), 'utf8')).results[0]).toMatchObject({ id: 'DISC-005', status: 'skip', message: expect.stringContaining('holds no app "app_someone_else"') });
    expect(ro.code).toBe(3);
    const draft = await run([f.url, '--token', f.agentToken, ...adminFlags(f), '--only', 'DISC-005', '--safety', 'draft', '--reporter', 'json', '--out', join(work, 'draft-fault')]);
    expect(draft.code).toBe(1);
  }, 120_000);

  it('wrong admin credentials are found once, up front: one message, exit 3, reports still written', async () => {
    const s = await serve();
    const out = join(work, 'bad-admin');
    const r = await run([s.url, '--admin-header', 'authorization: Bearer adm_not_the_right_one', '--safety', 'load', '--reporter', 'json', '--out', out]);
    expect(r.code).toBe(3);
    expect(r.stderr.trim().split('\n')).toEqual(['openport-conform: the admin plane refused the --admin-header credentials (authorization): GET /api/agent-admin/v1/apps?limit=1 answered HTTP 401 agent.token_invalid; check the header name and value']);
    expect(r.stderr).not.toContain('adm_not_the_right_one');
    expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toMatchObject({ exitCode: 3, results: [], toolError: expect.stringContaining('admin plane refused') });
  }, 120_000);
});
