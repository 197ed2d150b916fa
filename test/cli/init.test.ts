// `init` against `serve` over loopback HTTP, as a vendor would use it: the drafted description is accepted,
// holds no secret, gives a conformant full run, and lets the same checks run as the shipped description of
// the same domain does. A server whose high-risk tools need only the create's scope (a scope map the shipped
// demo description does not describe) is drafted too and judged conformant under several seeds.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderTarget } from '../../src/cli/init.js';
import { loadTargetFile } from '../../src/runner/target-file.js';
import { cli, startServe, type Served } from '../support/cli.js';
import { run, verdictResults } from '../support/suite.js';

let work: string;
const servers: Served[] = [];
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-init-'));
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(work, { recursive: true, force: true });
});

async function serve(...extra: string[]): Promise<Served> {
  const s = await startServe(extra);
  servers.push(s);
  return s;
}

const adminFlags = (s: Served) => Object.entries(s.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);

/** init against `s`, into a fresh file: its text, after the command succeeded and printed the plan. */
async function init(s: Served, name: string): Promise<{ file: string; text: string; stdout: string }> {
  const file = join(work, `${name}.yaml`);
  const r = await cli(['init', s.url, ...adminFlags(s), '--out', file]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const text = readFileSync(file, 'utf8');
  // Never a secret: neither the admin credential nor any token the server handed out.
  for (const secret of [...Object.values(s.adminHeaders), s.agentToken]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/op_[A-Za-z0-9_-]{20,}/);
  return { file, text, stdout: r.stdout };
}

const judged = (s: Served, targetFile: string, seed: number) =>
  run({ url: s.url, adminHeaders: s.adminHeaders, targetFile, profile: 'state-witness', safety: 'load', seed });

describe('init on a server this tool has run against', () => {
  it('takes no resource a check wrote (FUZZ-005 names its own by its id) for the existing one; --out in a new folder is made', async () => {
    const s = await serve();
    const agent = { authorization: `Bearer ${s.agentToken}`, 'content-type': 'application/json' };
    const admin = { ...s.adminHeaders, 'content-type': 'application/json' };
    for (let i = 0; i < 3; i++) {
      // Rows as FUZZ-005 leaves them: more values that could mark them than the server's own resource has.
      const payload = { ledgerId: 'ledger_main', kind: 'expense', title: `FUZZ-005 resource 90900791${i}`, amount_home: 12.5, notes: `FUZZ-005 drift ${i}` };
      const drafted = (await (await fetch(`${s.url}/api/agent/v1/actions`, { method: 'POST', headers: agent, body: JSON.stringify({ action: 'transaction.create', payload }) })).json()) as { data: { draft: { id: string } } };
      expect((await fetch(`${s.url}/api/agent-admin/v1/drafts/${drafted.data.draft.id}/approve`, { method: 'POST', headers: admin, body: '{}' })).status).toBe(200);
    }
    const file = join(work, 'new', 'folder', 'after-fuzz.yaml');
    const r = await cli(['init', s.url, ...adminFlags(s), '--out', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(loadTargetFile(file).existingResourceId).toBe('txn_1');
  });
});

describe('init against something that is not an OpenPort server root', () => {
  it('is exit 3 saying so, as a run is, before any app is made (a url below the root names the root to try)', async () => {
    const s = await serve();
    const r = await cli(['init', `${s.url}/api/agent/v1`, ...adminFlags(s), '--out', join(work, 'below-root.yaml')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`the url must be the server's root, the base /healthz and /api/agent/v1 hang off (try ${s.url}`);
    const apps = (await (await fetch(`${s.url}/api/agent-admin/v1/apps`, { headers: s.adminHeaders })).json()) as { data: { items: { name: string }[] } };
    expect(apps.data.items.filter((a) => a.name.startsWith('openport-conform'))).toEqual([]);
  });
});

describe('init against serve', () => {
  for (const domain of ['demo', 'helpdesk'] as const) {
    it(`${domain}: the drafted description runs the same checks as the shipped one, conformant`, async () => {
      const s = await serve('--domain', domain);
      const { file, text, stdout } = await init(s, domain);
      expect(stdout).toMatch(/wrote .*: 16 keys, \d+ guessed .*, 0 to fill in; 4 app\(s\) provisioned and revoked/);
      expect(stdout).toMatch(/\d+ would run, \d+ would be skipped, 0 held back/);
      // The command it prints plans what it printed: the admin credentials as a shell variable, never their value.
      expect(stdout).toContain(`(openport-conform run ${s.url} --profile state-witness --admin-header "authorization: $OPENPORT_ADMIN_AUTHORIZATION" --target ${file} --safety load --list):`);
      const drafted = loadTargetFile(file);
      const shipped = loadTargetFile(join(import.meta.dirname, '..', '..', 'fixtures', 'targets', `${domain}.yaml`));
      // What a vendor could not have known without looking: the domain's own names, found on the server.
      expect(drafted.containers).toEqual(shipped.containers);
      expect(drafted.existingResourceId).toBe(shipped.existingResourceId);
      expect(drafted.writes.highRisk.action).toBe(shipped.writes.highRisk.action);
      expect(drafted.writes.highRisk.effect).toMatchObject(shipped.writes.highRisk.effect!);
      expect(drafted.dateRange.field).toBe(shipped.dateRange.field);
      expect(drafted.dataPolicy).toEqual(shipped.dataPolicy);
      expect(text).toContain('# guessed');

      const [mine, theirs] = [await judged(s, file, 7), await judged(s, join(import.meta.dirname, '..', '..', 'fixtures', 'targets', `${domain}.yaml`), 7)];
      expect(mine.verdict).toBe('conformant');
      const ran = (r: typeof mine) => r.results.filter((x) => x.status !== 'skip').map((x) => x.id).sort();
      expect(ran(mine)).toEqual(ran(theirs));
      expect(verdictResults(mine).filter((x) => x.status !== 'pass')).toEqual([]);
    }, 240_000);
  }

  it('a high-risk tool on the create\'s scope: the draft records it, and the run is conformant under several seeds', async () => {
    const s = await serve('--variant', 'high-risk-create-scope');
    const { file } = await init(s, 'scope-map');
    const drafted = loadTargetFile(file);
    expect(drafted.tools['transaction.delete']!.scopes).toEqual(drafted.tools['transaction.create']!.scopes);
    for (const seed of [3, 1_000_003, 2_718_281_828]) {
      const r = await judged(s, file, seed);
      expect(verdictResults(r).filter((x) => x.status !== 'pass').map((x) => `${x.id} ${x.status}: ${x.message}`), `seed ${seed}`).toEqual([]);
    }
  }, 360_000);

  it('agent-plane creations answered 201: every write sample is drafted (none left TODO)', async () => {
    const s = await serve('--variant', 'agent-created-201');
    const { file, text } = await init(s, 'created-201');
    expect(text).not.toMatch(/^\s*# TODO/m);
    expect(Object.keys(loadTargetFile(file).writes.others ?? [])).toHaveLength(2);
  }, 120_000);

  it('refuses to overwrite a file, and without any credential says what it needs (exit 2)', async () => {
    const s = await serve();
    const taken = join(work, 'taken.yaml');
    writeFileSync(taken, 'orgId: mine\n');
    const over = await cli(['init', s.url, ...adminFlags(s), '--out', taken]);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/--out .*taken\.yaml exists; init never overwrites/);
    expect(readFileSync(taken, 'utf8')).toBe('orgId: mine\n');
    const bare = await cli(['init', s.url, '--out', join(work, 'bare.yaml')], { env: {} });
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/needs admin headers \(--admin-header\) or an agent token \(--token\)/);
  }, 60_000);

  it('with a token only: drafts what the manifest shows and lists the keys to fill in (exit 2)', async () => {
    const s = await serve();
    const file = join(work, 'token-only.yaml');
    const r = await cli(['init', s.url, '--token', s.agentToken, '--out', file], { env: {} });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/fill in before `run` accepts the file:\n {2}otherOrgId: /);
    expect(r.stdout).toMatch(/ {2}sensitiveFields: /);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(s.agentToken);
    expect(text).toMatch(/^# TODO: a second tenant/m);
    expect(text).toMatch(/^tools:\n {2}ledger\.list: /m);
  }, 60_000);
});

describe('init writes what the server said only as comments', () => {
  it('a note quoting hostile server text stays one comment line: no key of its own, no control bytes in the file', () => {
    const hostile = 'org_evil\nbodyLimitBytes: 1\n#\r\u001b]8;;http://evil\u0007click\u001b]8;;\u0007\u001b[2J\u202e';
    const text = renderTarget({ target: { orgId: 'org_demo' }, notes: [{ path: 'orgId', kind: 'guessed', text: `the tenant most apps belong to (org_demo: 2, ${hostile}: 1)` }], apps: { revoked: [], failed: [] } }, 'http://127.0.0.1:1');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(parse(text)).toEqual({ orgId: 'org_demo' });
    expect(text).toContain('# guessed: the tenant most apps belong to (org_demo: 2, org_evil bodyLimitBytes: 1 # ?]8;;http://evil?click?]8;;??[2J⟨U+202E⟩: 1)\n');
  });
});
