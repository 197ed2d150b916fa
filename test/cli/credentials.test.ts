/**
 * The operator's mistakes are not blamed on the server: a --token the agent plane refuses ends the run
 * before any check (exit 3), in one line that names the credential by its prefix and says why. Before, an
 * expired key against `serve` gave 6 failures and NOT CONFORMANT (exit 1).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, startServe, type Served } from '../support/cli.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';

let served: Served;
let out: string;
let expired: string;
beforeAll(async () => {
  out = mkdtempSync(join(tmpdir(), 'openport-credentials-'));
  served = await startServe();
  const res = await fetch(`${served.url}${ADMIN_BASE}/apps/${served.appId}/keys`, {
    method: 'POST',
    headers: { ...served.adminHeaders, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'expired', expiresAt: '2001-01-01T00:00:00.000Z' }),
  });
  expired = ((await res.json()) as { data: { token: string } }).data.token;
});
afterAll(async () => {
  await served.stop();
  rmSync(out, { recursive: true, force: true });
});

describe('credentials without a url', () => {
  it('are refused (exit 2) before the embedded runtime, which mints its own, could refuse them as its failure', async () => {
    for (const [args, named] of [
      [['--token', 'op_abcdefgh'], '--token (or --token-file) needs a url'],
      [['--admin-header', 'authorization: Bearer adm_x'], '--admin-header (or --admin-header-file) needs a url'],
    ] as const) {
      for (const command of ['run', 'gate']) {
        const r = await cli([command, ...args, '--out', join(out, 'embedded-credentials')]);
        expect(r.code, `${command} ${args[0]}`).toBe(2);
        expect(r.stderr, `${command} ${args[0]}`).toContain(`${named}: the embedded runtime mints its own credentials`);
        expect(r.stderr).not.toContain('adm_x');
      }
    }
  });
});

describe('a usage error of a run into an --out an earlier run wrote', () => {
  it('leaves its reports as they were, whatever the earlier journal there says', async () => {
    const dir = join(out, 'earlier');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'exchanges.jsonl'), '{"type":"header"}\n{"type":"exchange","seq":1}\n');
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'exchanges.jsonl'), hourAgo, hourAgo);
    writeFileSync(join(dir, 'report.json'), '{"verdict":"conformant","earlier":true}');
    const file = join(out, 'one-tenant.yaml');
    writeFileSync(file, 'extends: demo\notherOrgId: org_demo\n');
    const r = await cli(['run', served.url, '--token', served.agentToken, '--target', file, '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/otherOrgId: "org_demo" is /orgId too');
    expect(readFileSync(join(dir, 'report.json'), 'utf8')).toBe('{"verdict":"conformant","earlier":true}');
  });
});

describe('a malformed credential option', () => {
  it('is a usage error (exit 2) that quotes the value as a prefix and "…" only, in either spelling', async () => {
    const secret = 'authorization Bearer adm_UsageErrorSecret0123456789';
    for (const args of [['--admin-header', secret], [`--admin-header=${secret}`]]) {
      const r = await cli(['run', 'http://127.0.0.1:9', ...args, '--out', join(out, 'malformed')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("expected 'Name: value'");
      expect(r.stderr).toMatch(/argument 'author[^']*…' is invalid/);
      expect(r.stderr).not.toContain('UsageErrorSecret');
    }
  });

  it('a secret followed by a stray colon is quoted as a prefix and "…" only', async () => {
    const r = await cli(['run', 'http://127.0.0.1:9', '--admin-header', 'sk_live_StrayColon0123456789:', '--out', join(out, 'malformed')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/argument 'sk_l[^']*…' is invalid/);
    expect(r.stderr).not.toContain('StrayColon');
  });

  it('an empty value (an unset shell variable) is said so, with the name and the example shown whole', async () => {
    const r = await cli(['run', 'http://127.0.0.1:9', '--admin-header', 'x-admin-user: ', '--out', join(out, 'malformed')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("argument 'x-admin-user: ' is invalid. expected 'Name: value', e.g. --admin-header 'x-admin-user: admin_demo' (the value of x-admin-user is empty: an unset shell variable?)");
  });
});

describe('a url that is not the server root', () => {
  it('(the agent base, a typo) is exit 3 before any check, naming the root to use, with a token or admin headers', async () => {
    const admin = Object.entries(served.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
    for (const url of [`${served.url}/api/agent/v1`, `${served.url}/tpyo`]) {
      for (const creds of [['--token', served.agentToken], admin]) {
        const r = await cli(['run', url, ...creds, '--out', join(out, 'not-root')]);
        expect(r.code, `${url} ${creds[0]}`).toBe(3);
        expect(r.stderr).toContain(`knows neither /healthz nor /api/agent/v1/manifest`);
        expect(r.stderr).toContain(`the url must be the server's root, the base /healthz and /api/agent/v1 hang off (try ${served.url}, or the base path the server is mounted under)`);
        expect(r.stdout).not.toContain('FAIL');
      }
    }
  });

  it('at a bare origin, missing routes are the server\'s to answer for (the checks fail them), not a url mistake', async () => {
    const broken = await startServe(['--fault', 'env-healthz-missing', '--fault', 'env-route-missing-manifest']);
    try {
      const r = await cli(['run', broken.url, '--token', broken.agentToken, '--only', 'ENV-001', '--out', join(out, 'bare-origin')]);
      expect(r.stderr).not.toContain("must be the server's root");
      expect(r.code).toBe(1);
    } finally {
      await broken.stop();
    }
  });
});

describe('a target description that contradicts the server', () => {
  it('is exit 2 before any check, naming the key of the description (a container, a resource, a row field, a sample payload)', async () => {
    const cases: [string, string][] = [
      ['containers: { primary: ledger_mian }', 'containers.primary "ledger_mian": transaction.list answered HTTP 404 agent.not_found'],
      ['existingResourceId: txn_11', 'existingResourceId "txn_11": transaction.list (readBack) does not list it'],
      ['readBack: { idField: ID }', 'readBack.idField "ID": none of the'],
      ['writes: { update: { effect: { field: amount_hom, equals: 2 } } }', 'writes.update.effect.field "amount_hom": none of the'],
      ['writes: { create: { payload: { ledgerId: ledger_main, kind: expence, title: x, amount_home: 1 } } }', 'writes.create.payload (transaction.create): preflight answered HTTP 400 common.validation (payload.kind:'],
      // A read's parameter or route misspelt: the server ignores a parameter it does not know, and answers 404 to the route.
      ['dateRange: { startParam: startDat }', 'dateRange.startParam "startDat": transaction.list\'s inputSchema (manifest) names no such parameter, but names "startDate", which the description gives no other part'],
      ['containers: { queryParam: ledgerID }', 'containers.queryParam "ledgerID": transaction.list\'s inputSchema (manifest) names no such parameter, but names "ledgerId", which the description gives no other part'],
      ['reads: [{ tool: ledger.list, path: /api/agent/v1/ledgers, scopes: [ledger.read] }, { tool: transaction.list, path: /api/agent/v1/transaction, query: { ledgerId: ledger_main }, scopes: [transaction.read] }]', 'reads[1].path "/api/agent/v1/transaction": answered HTTP 404 agent.not_found, and the manifest gives transaction.list the route "/api/agent/v1/transactions"'],
    ];
    for (const [i, [yaml, named]] of cases.entries()) {
      const file = join(out, `contradicts-${i}.yaml`);
      writeFileSync(file, `extends: demo\n${yaml}\n`);
      // The report of an earlier run in --out is replaced by this run's (an upload step after the job finds this one).
      mkdirSync(join(out, 'contradicts'), { recursive: true });
      writeFileSync(join(out, 'contradicts', 'report.json'), JSON.stringify({ verdict: 'conformant', stale: true }));
      // With admin headers the check reads with a key of its own; the existing resource is judged only then.
      const creds = i === 1 ? Object.entries(served.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]) : ['--token', served.agentToken];
      const r = await cli(['run', served.url, ...creds, '--safety', 'draft', '--target', file, '--out', join(out, 'contradicts')]);
      expect(r.code, yaml).toBe(2);
      expect(r.stderr, yaml).toContain(`--target ${file} contradicts ${served.url}: ${named}`);
      expect(r.stdout, yaml).not.toMatch(/\bFAIL\b/);
      const report = JSON.parse(readFileSync(join(out, 'contradicts', 'report.json'), 'utf8')) as Record<string, unknown>;
      expect(report, yaml).toMatchObject({ verdict: 'incomplete', toolErrorCode: 'OPC_E_CONFIG', toolError: expect.stringContaining(named) });
      expect(report.stale).toBeUndefined();
    }
    // A tool name misspelt wherever the description uses it (its tools map and its write sample): the manifest of
    // the pre-check's own key lists the right name, which the description does not.
    const misspelt = join(out, 'contradicts-tool.yaml');
    writeFileSync(misspelt, readFileSync('fixtures/targets/demo.yaml', 'utf8').replaceAll('transaction.create', 'transaction.craete'));
    const admin = Object.entries(served.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
    const typo = await cli(['run', served.url, ...admin, '--safety', 'draft', '--target', misspelt, '--out', join(out, 'contradicts')]);
    expect(typo.code, typo.stderr).toBe(2);
    expect(typo.stderr).toContain(`--target ${misspelt} contradicts ${served.url}: tools.transaction.craete: the manifest of a key with every described scope lists no such tool, but lists "transaction.create", which the description does not name`);
    // A misspelt tenant (a server that accepts any org_id for a new app): both containers refused, and no app of the
    // server's own belongs to it.
    const org = join(out, 'contradicts-org.yaml');
    writeFileSync(org, 'extends: demo\norgId: org_demoo\n');
    // A server in use lists more apps than one page of its admin listing holds: the tenants of all are read.
    for (let i = 0; i < 250; i++) {
      const made = await fetch(`${served.url}/api/agent-admin/v1/apps`, { method: 'POST', headers: { ...served.adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'workspace', name: `earlier use ${i}`, org_id: 'org_demo' }) });
      expect(made.status).toBe(200);
      await made.arrayBuffer();
    }
    const orgTypo = await cli(['run', served.url, ...admin, '--safety', 'draft', '--target', org, '--out', join(out, 'contradicts')]);
    expect(orgTypo.code, orgTypo.stderr).toBe(2);
    expect(orgTypo.stderr).toContain(`--target ${org} contradicts ${served.url}: orgId "org_demoo": transaction.list refuses both containers to a key of this tenant (HTTP 403 agent.policy_denied), and none of the server's own apps belongs to it (they belong to "org_demo")`);
    // A server whose validator refuses every sample is the server's defect (PREFLIGHT-*), not the description's.
    const refusesAll = await cli(['run', '--fault', 'preflight-payload-elsewhere', '--profile', 'write-lifecycle', '--only', 'PREFLIGHT-*', '--target', 'fixtures/targets/demo.yaml', '--out', join(out, 'refuses-all')]);
    expect(refusesAll.code, refusesAll.stderr).toBe(1);
    // The pre-check reads with a key of its own: the run token's rate budget (30 per second embedded) stays the checks'.
    const full = await cli(['run', '--seed', '1', '--target', 'fixtures/targets/demo.yaml', '--out', join(out, 'embedded-target')]);
    expect(full.code, full.stdout.slice(-600)).toBe(0);
    // The shipped description agrees with the server it describes: the run goes on to its checks.
    const ok = await cli(['run', served.url, '--token', served.agentToken, '--safety', 'draft', '--only', 'ENV-001', '--out', join(out, 'agrees')]);
    expect(ok.code, ok.stderr).toBe(0);
  });
});

describe('--token is validated before the run', () => {
  it('an expired key: exit 3, one line naming the expired token by its prefix only', async () => {
    const res = await cli(['run', served.url, '--token', expired, '--out', out]);
    expect(res.code).toBe(3);
    const line = res.stderr.trim().split('\n').filter((l) => l.includes('agent token'));
    expect(line).toHaveLength(1);
    expect(line[0]).toContain(`refused the agent token ${expired.slice(0, 8)}…`);
    expect(line[0]).toMatch(/401 agent\.token_expired \(the key has expired\)/);
    expect(res.stdout + res.stderr).not.toContain(expired);
  });

  it('an unknown (mistyped) key: exit 3, naming why', async () => {
    const typo = `${served.agentToken.slice(0, -3)}xyz`;
    const res = await cli(['run', served.url, '--token', typo, '--out', out]);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/refused the agent token op_\S{1,5}…: GET \/api\/agent\/v1\/manifest answered HTTP 401 agent\.token_invalid \(unknown to the server/);
    expect(res.stdout + res.stderr).not.toContain(typo);
  });

  it('a check of another binding that would also need the admin plane is skipped as not applicable, not as missing credentials', async () => {
    const res = await cli(['run', served.url, '--token', served.agentToken, '--only', 'MCP-010,DISC-002', '--out', out]);
    expect(res.code).toBe(0);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as { results: { id: string; status: string; message?: string }[] };
    expect(report.results.find((r) => r.id === 'MCP-010')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^does not apply to the HTTP binding/) });
  });

  it('a live key passes the probe (the run goes on to its checks)', async () => {
    const res = await cli(['run', served.url, '--token', served.agentToken, '--only', 'DISC-004', '--out', out]);
    expect(res.code).toBe(0);
  });
});

describe('the target description is checked against the manifest before the run', () => {
  it("another server's description (the demo's against the helpdesk): exit 2, one line naming both tool lists; with --target it runs", async () => {
    const helpdesk = await startServe(['--domain', 'helpdesk']);
    try {
      const res = await cli(['run', helpdesk.url, '--token', helpdesk.agentToken, '--out', out]);
      expect(res.code).toBe(2);
      expect(res.stderr).toMatch(/the demo target description \(the default without --target\) does not describe http:\/\/127\.0\.0\.1:\d+: its manifest lists 9 tools \("project\.list", "ticket\.list", .*none of the 7 the target names \("ledger\.list", .*pass this server's target description with --target/);
      expect(res.stdout + res.stderr).not.toContain(helpdesk.agentToken);
      const right = await cli(['run', helpdesk.url, '--token', helpdesk.agentToken, '--target', 'fixtures/targets/helpdesk.yaml', '--only', 'DISC-002', '--out', out]);
      expect(right.code).toBe(0);
      // Admin credentials alone: the tools of an app the server holds show the description is another server's
      // (exit 2, as with a token), at read-only (no token minted, nothing else would say it) as at load.
      for (const safety of ['read-only', 'load']) {
        const adminOnly = await cli(['run', helpdesk.url, ...Object.entries(helpdesk.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]), '--safety', safety, '--out', out]);
        expect(adminOnly.code, safety).toBe(2);
        expect(adminOnly.stderr).toMatch(/the demo target description \(the default without --target\) does not describe http:\/\/127\.0\.0\.1:\d+: the tool listing of its app "app_[0-9a-f]+" lists 9 tools \("project\.list", .*none of the 7 the target names/);
      }
    } finally {
      await helpdesk.stop();
    }
  });

  it('admin credentials alone and a server that refuses the app and holds none: exit 3, asking whether the description is this server', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((req, res) => {
      req.resume();
      const body = req.url === '/healthz' ? { ok: true, code: 'common.success', data: { status: 'ok' } }
        : req.method === 'POST' ? { ok: false, code: 'common.validation', message: 'unknown scope' }
        : { ok: true, code: 'common.success', data: { items: [] } };
      res.writeHead(req.method === 'POST' ? 400 : 200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
      const r = await cli(['run', url, '--admin-header', 'x-admin-user: admin_demo', '--safety', 'load', '--out', out]);
      expect(r.code).toBe(3);
      expect(r.stderr).toContain('(the app asks for the scopes the demo target description (the default without --target) names: does it describe this server?)');
    } finally {
      server.close();
    }
  });

  it('over the MCP binding too: a refused agent token is exit 3 before any check, a tools/list of another server exit 2', async () => {
    const helpdesk = await startServe(['--mcp', '--domain', 'helpdesk']);
    try {
      const wrong = await cli(['run', helpdesk.url, '--binding', 'mcp', '--token', `op_${'w'.repeat(43)}`, '--out', out]);
      expect(wrong.code).toBe(3);
      expect(wrong.stderr).toContain('the agent plane refused the agent token op_wwwww…: MCP initialize answered HTTP 401 agent.token_invalid (unknown to the server: mistyped, revoked, or its app is not active); pass a live agent key');
      expect(JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'))).toMatchObject({ toolErrorCode: 'OPC_E_TOKEN_REFUSED', results: [] });
      const other = await cli(['run', helpdesk.url, '--binding', 'mcp', '--token', helpdesk.agentToken, '--out', out]);
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/does not describe http:\/\/127\.0\.0\.1:\d+: its MCP tools\/list lists \d+ tools \("project\.list", .*none of the 7 the target names/);
      const right = await cli(['run', helpdesk.url, '--binding', 'mcp', '--token', helpdesk.agentToken, '--target', 'fixtures/targets/helpdesk.yaml', '--only', 'DISC-002', '--out', out]);
      expect(right.code).toBe(0);
      // A key whose app holds no scope lists only the binding's own tools: no evidence of another server.
      const res = await fetch(`${helpdesk.url}${ADMIN_BASE}/apps`, { method: 'POST', headers: { ...helpdesk.adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'workspace', name: 'no scopes', scopes: [] }) });
      const empty = ((await res.json()) as { data: { token: string } }).data.token;
      const none = await cli(['run', helpdesk.url, '--binding', 'mcp', '--token', empty, '--target', 'fixtures/targets/helpdesk.yaml', '--only', 'MCP-001', '--out', out]);
      expect(none.stderr).not.toContain('does not describe');
      expect(none.code).not.toBe(2);
    } finally {
      await helpdesk.stop();
    }
  });

  it("a token whose manifest shows only some of the target's tools is not refused: scopes narrow what a manifest lists", async () => {
    const res = await fetch(`${served.url}${ADMIN_BASE}/apps`, {
      method: 'POST', headers: { ...served.adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'workspace', name: 'ledger reader', scopes: ['ledger.read'] }),
    });
    const narrow = ((await res.json()) as { data: { token: string } }).data.token;
    const run = await cli(['run', served.url, '--token', narrow, '--only', 'DISC-002', '--out', join(out, 'narrow')]);
    expect(run.code).toBe(0);
    // Only what the token sees was inspected: a partial pass that names the tools left out.
    const partial = JSON.parse(readFileSync(join(out, 'narrow', 'report.json'), 'utf8')).results[0].partial;
    expect(partial).toEqual([expect.stringMatching(/^the run token's manifest lists 1 of the 7 described tools; those it does not see \(transaction\.list, transaction\.create, .*, …\) were not inspected/)]);
    // A token that sees every described tool leaves nothing out: a whole pass.
    await cli(['run', served.url, '--token', served.agentToken, '--only', 'DISC-002', '--out', join(out, 'whole')]);
    expect(JSON.parse(readFileSync(join(out, 'whole', 'report.json'), 'utf8')).results[0]).toMatchObject({ id: 'DISC-002', status: 'pass' });
    expect(JSON.parse(readFileSync(join(out, 'whole', 'report.json'), 'utf8')).results[0].partial).toBeUndefined();
  });

  it('the differential fuzz with the run token alone says what it did not compare: scope denials, and cases past its share of the rate limit', async () => {
    // serve allows 240 requests a minute: the run token's share is 60, fewer than the generated cases that carry it.
    const ro = await cli(['run', served.url, '--token', served.agentToken, '--only', 'FUZZ-006', '--fuzz-runs', '200', '--out', join(out, 'fuzz-ro')]);
    expect(ro.code).toBe(0);
    const r = JSON.parse(readFileSync(join(out, 'fuzz-ro', 'report.json'), 'utf8')).results[0];
    expect(r.status).toBe('pass');
    const [, compared, runs, unsent] = /^(\d+) of (\d+) data-independent requests compared .*; (\d+) not sent$/.exec(r.actual)!.map(Number);
    expect(runs).toBe(200);
    expect(unsent).toBeGreaterThan(0);
    expect(compared! + unsent!).toBeLessThanOrEqual(200);
    expect(r.partial).toEqual([
      expect.stringMatching(new RegExp(`^${unsent} of 200 generated requests not sent: the run token's share of the rate limit`)),
      expect.stringContaining('no scope denials compared'),
    ]);
    // The generated requests of FUZZ-001…003 likewise.
    await cli(['run', served.url, '--token', served.agentToken, '--safety', 'draft', '--only', 'FUZZ-001', '--fuzz-runs', '200', '--out', join(out, 'fuzz-001')]);
    expect(JSON.parse(readFileSync(join(out, 'fuzz-001', 'report.json'), 'utf8')).results[0]).toMatchObject({
      id: 'FUZZ-001', status: 'pass', partial: [expect.stringMatching(/^\d+ generated cases not sent: the run token's share of the rate limit was used up/)],
    });
    // With the admin plane at --safety draft the check has a narrow key of its own, rotated before the limit: a whole pass.
    const admin = Object.entries(served.adminHeaders).flatMap(([k, v]) => ['--admin-header', `${k}: ${v}`]);
    const own = await cli(['run', served.url, '--token', served.agentToken, ...admin, '--safety', 'draft', '--only', 'FUZZ-006', '--fuzz-runs', '200', '--out', join(out, 'fuzz-own')]);
    expect(own.code, own.stderr).toBe(0);
    const o = JSON.parse(readFileSync(join(out, 'fuzz-own', 'report.json'), 'utf8')).results[0];
    expect(o).toMatchObject({ id: 'FUZZ-006', status: 'pass', actual: expect.stringMatching(/^200 of 200 data-independent requests compared/) });
    expect(o.partial).toBeUndefined();
  });

  it('tool names from the server are quoted, control characters escaped, a credential they echo shortened; only an envelope counts', async () => {
    const { createServer } = await import('node:http');
    let envelope = true;
    const hostile = createServer((req, res) => {
      req.resume();
      // Echoes the bearer it was sent as a tool name, beside one with a control sequence.
      const bearer = String(req.headers.authorization ?? '').replace(/^Bearer /, '');
      const tools = [{ name: '\u001b[2Jwipe' }, { name: bearer }];
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/healthz' ? { ok: true, code: 'common.success', data: { status: 'ok' } } : envelope ? { ok: true, code: 'common.success', data: { tools } } : { data: { tools } }));
    });
    await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
      const token = `op_${'A'.repeat(43)}`;
      for (const command of ['run', 'gate']) {
        const r = await cli([command, url, '--token', token, '--out', join(out, command)]);
        expect(r.code, command).toBe(2);
        expect(r.stderr, command).toContain('its manifest lists 2 tools ("\\u001b[2Jwipe", "op_AAAAA…")');
        expect(r.stderr, command).not.toContain('\u001b');
        expect(r.stdout + r.stderr, command).not.toContain(token);
      }
      // A manifest outside the envelope is no manifest: left to the checks, not taken for another server's.
      envelope = false;
      const bare = await cli(['run', url, '--token', token, '--only', 'DISC-002', '--out', out]);
      expect(bare.stderr).not.toContain('does not describe');
      expect(bare.code).not.toBe(2);
    } finally {
      hostile.close();
    }
  });
});
