import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { readLiveDeployment, scanDeployment, loadDeploymentFile, type DeploymentApp } from '../../src/gate/deployment.js';
import { runGate } from '../support/suite.js';
import { renderGateSarif, renderGateText } from '../../src/gate/render.js';
import { createRuntime } from '../../src/runtime/index.js';
import { startHttpServer } from '../../src/runtime/server.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const inHours = (h: number) => new Date(NOW.getTime() + h * 3_600_000).toISOString();
const dir = mkdtempSync(join(tmpdir(), 'opc-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOOLS = [
  { name: 'ledger.list', requiredScopes: ['ledger.read'], risk: 'low', requiresConfirmation: false, http: { method: 'GET', path: '/api/agent/v1/ledgers' } },
  { name: 'transaction.delete', kind: 'action', requiredScopes: ['transaction.delete'], risk: 'high', requiresConfirmation: true },
];
/** A reviewed app: bounded windows, gated high-risk execution, a data policy. */
function app(over: Partial<DeploymentApp> = {}): DeploymentApp {
  return {
    id: 'app_reviewed',
    status: 'active',
    scopes: ['ledger.read', 'transaction.delete'],
    policy: { data: { allowed_ledger_ids: ['ledger_main'] } },
    auto_execute: { high_risk: { enabled: true, expires_at: inHours(2), require_preflight: true, require_idempotency: true, allowed_actions: ['transaction.delete'] } },
    tools: TOOLS,
    ...over,
  };
}
const scan = (apps: DeploymentApp[], opts = {}) => scanDeployment({ source: 'test', apps }, { now: NOW, ...opts });
const rules = (apps: DeploymentApp[], opts = {}) => scan(apps, opts).map((f) => `${f.status} ${f.ruleId}`);

describe('deployment safety scan', () => {
  it('the demo deployment of the embedded runtime fails no rule; its warnings are listed', async () => {
    const dep = await readLiveDeployment(undefined, undefined);
    expect(dep.apps.length).toBeGreaterThan(0);
    expect(dep.apps[0]!.tools!.length).toBe(7);
    const findings = scanDeployment(dep);
    expect(findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(findings.map((f) => `${f.status} ${f.ruleId}`)).toEqual(['warn GATE-005']);
    const g = await runGate({ run: { only: ['ENV-002'] }, deployment: { files: [], live: true } });
    expect(g.steps.find((s) => s.name === 'deployment')).toMatchObject({ status: 'pass', counts: { failures: 0, warnings: 1 } });
    expect(g.deployment!.findings.map((f) => f.ruleId)).toEqual(['GATE-005']);
  });

  it('reads every app of a server that pages its app listing (past one page of 200)', async () => {
    const runtime = createRuntime();
    const server = await startHttpServer(runtime, { host: '127.0.0.1', port: 0 });
    try {
      const ids = [runtime.bootstrap.appId];
      for (let i = 0; i < 205; i++) {
        const r = await fetch(`${server.url}/api/agent-admin/v1/apps`, { method: 'POST', headers: { ...runtime.adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'workspace', name: `paged ${i}` }) });
        ids.push(((await r.json()) as { data: { app: { id: string } } }).data.app.id);
      }
      const dep = await readLiveDeployment(server.url, runtime.adminHeaders);
      expect(dep.apps.map((a) => a.id)).toEqual(ids);
    } finally {
      await server.close();
      await runtime.close();
    }
  });

  it('a reviewed app passes every rule', () => {
    expect(rules([app()])).toEqual([]);
  });

  it('an unbounded high-risk auto-execute window fails GATE-003, at its line of the exported file', async () => {
    const file = join(dir, 'unbounded.yaml');
    writeFileSync(file, stringify({ apps: [app({ auto_execute: { high_risk: { ...app().auto_execute.high_risk, expires_at: null } } })] }));
    const g = await runGate({ run: { only: ['ENV-002'] }, deployment: { files: [file], live: true }, now: NOW });
    expect(g.verdict).toBe('failed');
    expect(g.deployment!.findings).toMatchObject([{ ruleId: 'GATE-003', status: 'fail', app: 'app_reviewed', file }]);
    const { line } = g.deployment!.findings[0]!;
    const text = readFileSync(file, 'utf8').split('\n');
    expect(text[line! - 1]).toMatch(/high_risk:|enabled: true/);
    const sarif = JSON.parse(renderGateSarif(g)).runs[0].results.find((r: any) => r.ruleId === 'GATE-003');
    expect(sarif.locations[0].physicalLocation).toMatchObject({ artifactLocation: { uri: file }, region: { startLine: line } });
  });

  it('a window longer than the maximum fails GATE-003; the maximum is a threshold', () => {
    const long = app({ auto_execute: { writes: { enabled: true, expires_at: inHours(48), allowed_actions: [] } } });
    expect(rules([long])).toEqual(['fail GATE-003']);
    expect(rules([long], { maxWindowHours: 72 })).toEqual([]);
    // Disabled windows are not judged.
    expect(rules([app({ auto_execute: { writes: { enabled: false, expires_at: null } } })])).toEqual([]);
  });

  it('GATE-001: a write tool not confirmation-gated or not risk-rated fails; read tools are not judged', () => {
    const unconfirmed = { ...TOOLS[1], requiresConfirmation: false };
    const unrated = { name: 'transaction.create', requiredScopes: [], requiresConfirmation: true, http: { method: 'POST', path: '/api/agent/v1/actions' } };
    const f = scan([app({ tools: [TOOLS[0], unconfirmed, unrated] })]);
    expect(f.map((x) => [x.ruleId, x.status, x.message])).toEqual([
      ['GATE-001', 'fail', 'write tool transaction.delete (app app_reviewed): requiresConfirmation is not true'],
      ['GATE-001', 'fail', 'write tool transaction.create (app app_reviewed): risk is null'],
    ]);
  });

  it('GATE-001 judges every declaration of a tool, whichever app comes first: one the server lists for every app is reported once', () => {
    const confirmed = { ...TOOLS[1] };
    const unconfirmed = { ...TOOLS[1], requiresConfirmation: false };
    const apps = [app({ id: 'app_billing', tools: [confirmed] }), app({ id: 'app_batch', tools: [unconfirmed] })];
    for (const order of [apps, [...apps].reverse()]) {
      expect(scan(order).map((x) => [x.ruleId, x.app, x.message])).toEqual([['GATE-001', 'app_batch', 'write tool transaction.delete (app app_batch): requiresConfirmation is not true']]);
    }
    const everywhere = [app({ id: 'app_1', tools: [unconfirmed] }), app({ id: 'app_2', tools: [unconfirmed] })];
    expect(rules(everywhere)).toEqual(['fail GATE-001']);
  });

  it('GATE-002: high-risk auto-execute without preflight or idempotency fails', () => {
    const hr = app().auto_execute.high_risk;
    expect(rules([app({ auto_execute: { high_risk: { ...hr, require_preflight: false } } })])).toEqual(['fail GATE-002']);
    expect(rules([app({ auto_execute: { high_risk: { ...hr, require_idempotency: false } } })])).toEqual(['fail GATE-002']);
    // Absent means the protocol default (true).
    const { require_preflight: _p, require_idempotency: _i, ...defaults } = hr;
    expect(rules([app({ auto_execute: { high_risk: defaults } })])).toEqual([]);
  });

  it('GATE-004..006 warn by default and fail when the config lists them', () => {
    const hr = app().auto_execute.high_risk;
    const risky = [
      app({ id: 'app_a', auto_execute: { high_risk: { ...hr, allowed_actions: [] } } }),
      app({ id: 'app_b', policy: {} }),
      app({ id: 'app_c', scopes: ['ledger.read', 'transaction.export'], policy: { data: { allowed_ledger_ids: ['x'], allow_sensitive_fields: true } } }),
    ];
    expect(rules(risky)).toEqual(['warn GATE-004', 'warn GATE-006']);
    // With app_c holding transaction.export, "every scope" grows; give app_b all of them to trip GATE-005.
    const all = app({ id: 'app_b', policy: {}, scopes: ['ledger.read', 'transaction.delete', 'transaction.export'] });
    expect(rules([risky[0]!, all, risky[2]!], { fail: ['GATE-005'] })).toEqual(['warn GATE-004', 'fail GATE-005', 'warn GATE-006']);
    // A network policy bounds an all-scope app too.
    expect(rules([app({ policy: { network: { allowed_ips: ['10.0.0.0/8'] } } })])).toEqual([]);
  });

  it('GATE-005 judges wildcard scopes per app: * or a prefix wildcard holds what it covers, and turns nothing off for other apps', () => {
    const skeleton = app({ id: 'app_all', scopes: ['ledger.read', 'transaction.delete'], policy: {} });
    // An unrelated app holding * used to make "every scope" include "*", which no other app held.
    const star = app({ id: 'app_star', scopes: ['*'] });
    expect(scan([skeleton, star]).map((f) => `${f.ruleId} ${f.app}`)).toEqual(['GATE-005 app_all']);
    // The * app itself, without a policy, is the skeleton key.
    const bareStar = app({ id: 'app_star', scopes: ['*'], policy: {} });
    expect(scan([bareStar]).map((f) => [f.ruleId, f.app, f.message])).toEqual([['GATE-005', 'app_star', 'app app_star holds the wildcard scope * with no network and no data policy']]);
    // A prefix wildcard covers the scopes it matches, and only those.
    expect(rules([app({ scopes: ['ledger.read', 'transaction.*'], policy: {} })])).toEqual(['warn GATE-005']);
    expect(rules([app({ scopes: ['ledger.*'], policy: {} }), app({ id: 'app_b' })])).toEqual([]);
  });

  it('GATE-005 needs scopes from somewhere else than the app it judges: a lone app without tools is judged only on *', () => {
    const lone = app({ scopes: ['ledger.read'], policy: {}, tools: undefined });
    expect(rules([lone])).toEqual([]);
    expect(rules([{ ...lone, scopes: ['*'] }])).toEqual(['warn GATE-005']);
    // Tools, or another app, name the deployment's scopes: then holding them all is judged.
    expect(rules([{ ...lone, tools: [{ name: 'ledger.list', requiredScopes: ['ledger.read'] }] }])).toEqual(['warn GATE-005']);
    expect(rules([lone, app({ id: 'app_b', scopes: ['ledger.read'], tools: undefined })])).toEqual(['warn GATE-005']);
    expect(rules([lone, app({ id: 'app_b', scopes: ['ticket.read'], tools: undefined })])).toEqual([]);
  });

  it('GATE-006 counts an export scope held through a wildcard that covers one of the deployment', () => {
    const sensitive = { data: { allowed_ledger_ids: ['x'], allow_sensitive_fields: true } };
    const exporter = app({ id: 'app_exporter', scopes: ['transaction.export'], policy: { data: { allowed_ledger_ids: ['x'] } } });
    const wildcard = app({ id: 'app_wild', scopes: ['transaction.*'], policy: sensitive });
    expect(scan([exporter, wildcard]).filter((f) => f.ruleId === 'GATE-006').map((f) => f.app)).toEqual(['app_wild']);
    // A wildcard that covers no export scope of the deployment is no export scope.
    expect(scan([exporter, app({ id: 'app_ledgers', scopes: ['ledger.*'], policy: sensitive })]).filter((f) => f.ruleId === 'GATE-006')).toEqual([]);
  });

  it('GATE-005: an allow-list of every address or an absurd max_days is no policy', () => {
    const unbounded = (policy: object) => rules([app({ policy })]);
    expect(unbounded({ network: { allowed_ips: ['0.0.0.0/0'] } })).toEqual(['warn GATE-005']);
    expect(unbounded({ network: { allowed_ips: ['10.0.0.0/8', '::/0'] } })).toEqual(['warn GATE-005']);
    expect(unbounded({ network: { allowed_ips: ['*'] } })).toEqual(['warn GATE-005']);
    expect(unbounded({ data: { max_days: 36500 } })).toEqual(['warn GATE-005']);
    expect(unbounded({ data: { max_days: 3651 } })).toEqual(['warn GATE-005']);
    // Real bounds still count.
    expect(unbounded({ data: { max_days: 3650 } })).toEqual([]);
    expect(unbounded({ network: { allowed_ips: ['203.0.113.0/24', '2001:db8::/32'] } })).toEqual([]);
  });

  it('an enabled window that has expired is reported as expired (a warning), never as too long, and gates nothing', () => {
    const hr = app().auto_execute.high_risk;
    const expired = app({ auto_execute: { high_risk: { ...hr, expires_at: inHours(-3), require_preflight: false, allowed_actions: [] } } });
    const f = scan([expired]);
    // GATE-002 and GATE-004 judge a window in force; this one executes nothing.
    expect(f.map((x) => [x.status, x.ruleId, x.message])).toEqual([['warn', 'GATE-003', `app app_reviewed: high_risk auto-execute window expired at ${inHours(-3)} and is still enabled (not in force; disable or renew it)`]]);
    expect(f[0]!.path).toEqual(['apps', 0, 'auto_execute', 'high_risk', 'expires_at']);
    // The same window still open fails GATE-002 as before.
    const open = app({ auto_execute: { high_risk: { ...hr, require_preflight: false } } });
    expect(rules([open])).toEqual(['fail GATE-002']);
    // Listed under deployment.fail (--fail-on), an expired window fails too, as announced.
    expect(rules([expired], { fail: ['GATE-003'] })).toEqual(['fail GATE-003']);
  });

  it('revoked apps are ignored; a malformed export is a configuration error naming the file and path', () => {
    expect(rules([app({ status: 'revoked', auto_execute: { writes: { enabled: true } } })])).toEqual([]);
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ apps: [{ name: 'no id' }] }));
    expect(() => loadDeploymentFile(bad)).toThrow(/deployment file .*bad\.json: \/apps\/0\/id: expected a string/);
  });

  it("the gate's console shows a deployment's text (app names, ids) on one line, its controls made visible", async () => {
    const file = join(dir, 'hostile.json');
    const name = 'boot\u001b]8;;http://evil.example/\u0007click\u001b]8;;\u0007\u001b[2J\rFORGED PASS LINE\u202e\u0000\u009b';
    writeFileSync(file, JSON.stringify({ apps: [{ id: 'app_x\u001b[31m', name, scopes: ['*'], policy: {} }] }));
    const g = await runGate({ run: { only: ['ENV-002'] }, deployment: { files: [file], live: false } });
    const text = renderGateText(g);
    expect(text).not.toMatch(/[\u0000\u001b\u0007\r\u009b\u202e]/);
    expect(text).toContain('warn GATE-005 ');
    expect(text).toContain('(boot?]8;;http://evil.example/?click?]8;;??[2J FORGED PASS LINE⟨U+202E⟩??) holds the wildcard scope *');
  });

  it('a deployment file whose values would make a rule pass unseen, or crash the scan, is refused, naming the path', async () => {
    const refused: [string, string][] = [
      ['apps: [{ id: a, scopes: "*" }]', '/apps/0/scopes: expected a list of strings'],
      ['apps: [{ id: a, scopes: 42 }]', '/apps/0/scopes: expected a list of strings'],
      ['apps: [{ id: a, auto_execute: { high_risk: { enabled: yes, require_preflight: false } } }]', '/apps/0/auto_execute/high_risk/enabled: expected true or false, not "yes"'],
      ['apps: [{ id: a, auto_execute: { writes: { enabled: "true" } } }]', '/apps/0/auto_execute/writes/enabled: expected true or false, not "true"'],
      ['apps: [{ id: a, auto_execute: { writes: { enabeld: true } } }]', '/apps/0/auto_execute/writes/enabeld: unknown key; allowed: enabled, expires_at, allowed_actions'],
      ['apps: [{ id: a, auto_execute: { high: { enabled: true } } }]', '/apps/0/auto_execute/high: unknown key; allowed: writes, high_risk'],
      ['apps: [{ id: a, auto_execute: { writes: { enabled: true, expires_at: 5 } } }]', '/apps/0/auto_execute/writes/expires_at: expected a date-time string'],
      ['apps: [{ id: a, tools: [{ name: x, http: "POST" }] }]', '/apps/0/tools/0/http: expected an object ({method, path})'],
      ['apps: [{ id: a, tools: [x] }]', '/apps/0/tools/0: expected a tool object'],
      ['apps: [{ id: a, policy: open }]', '/apps/0/policy: expected an object'],
      ['apps: [{ id: a, scopes: [transaction.export], policy: { data: { allow_sensitive_fields: yes } } }]', '/apps/0/policy/data/allow_sensitive_fields: expected true or false, not "yes"'],
    ];
    for (const [text, message] of refused) {
      const file = join(dir, 'refused.yaml');
      writeFileSync(file, `${text}\n`);
      expect(() => loadDeploymentFile(file), text).toThrow(`invalid deployment file ${file}: ${message}`);
    }
    // A server's listing is held to the same kinds (an error of the step, exit 3, not a crash); members it adds are its own.
    const listing = (apps: unknown[]) => createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, code: 'common.success', data: _req.url!.endsWith('/tools') ? { tools: [] } : { items: apps } }));
    });
    for (const [apps, outcome] of [
      [[{ id: 'a', scopes: '*' }], /the app listing of .*: \/apps\/0\/scopes: expected a list of strings/],
      [[{ id: 'a', scopes: ['x'], auto_execute: { writes: { enabled: true, expires_at: inHours(1), updated_by: 'ops' } } }], null],
    ] as const) {
      const server = listing(apps as unknown as unknown[]);
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      try {
        const read = readLiveDeployment(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { 'x-admin-user': 'admin_demo' });
        if (outcome) await expect(read).rejects.toMatchObject({ exitCode: 3, message: expect.stringMatching(outcome) });
        else expect((await read).apps.map((a) => a.id)).toEqual(['a']);
      } finally {
        server.close();
      }
    }
    // autoExecute is read as auto_execute (as on the live plane): its unbounded window fails.
    const camel = join(dir, 'camel.yaml');
    writeFileSync(camel, 'apps: [{ id: a, scopes: [x], autoExecute: { writes: { enabled: true } }, future_member: 1 }]\n');
    expect(scanDeployment(loadDeploymentFile(camel).deployment, { now: NOW }).map((f) => `${f.status} ${f.ruleId}`)).toContain('fail GATE-003');
  });

  it("reads an app's tool listing as data.items (the protocol authors' listings), data.tools or a bare array; another shape is an error, never 0 tools", async () => {
    const unconfirmed = [{ name: 'transaction.delete', kind: 'action', requiredScopes: ['transaction.delete'], risk: 'high', requiresConfirmation: false }];
    const serve = (tools: unknown) => createServer((req, res) => {
      const data = req.url!.endsWith('/tools') ? tools : { items: [{ id: 'app_a', status: 'active', scopes: ['transaction.delete'] }] };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, code: 'common.success', data }));
    });
    const read = async (tools: unknown) => {
      const server = serve(tools);
      await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
      try {
        return await readLiveDeployment(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { 'x-admin-user': 'admin_demo' });
      } finally {
        server.close();
      }
    };
    for (const shape of [{ items: unconfirmed }, { tools: unconfirmed }, unconfirmed]) {
      const dep = await read(shape);
      expect(dep.apps[0]!.tools, JSON.stringify(shape)).toEqual(unconfirmed);
      expect(scanDeployment(dep).map((f) => `${f.status} ${f.ruleId}`)).toContain('fail GATE-001');
    }
    for (const [shape, said] of [
      [{ list: unconfirmed, total: 1 }, 'an object with the keys list, total'],
      [{}, 'an empty object'],
      [null, 'null'],
      [{ items: 'transaction.delete' }, 'an object with the key items'],
    ] as const) {
      await expect(read(shape), JSON.stringify(shape)).rejects.toMatchObject({
        exitCode: 3,
        message: expect.stringMatching(new RegExp(`^GET /api/agent-admin/v1/apps/app_a/tools on http://127\\.0\\.0\\.1:\\d+ answered data the deployment scan cannot read as a list of tools \\(${said}\\); it reads data\\.items, data\\.tools or a bare array$`)),
      });
    }
  });

  it('reads a live server over loopback HTTP: an admin who opens an unbounded high-risk window fails GATE-003 and GATE-004', async () => {
    const runtime = createRuntime({});
    const server = await startHttpServer(runtime, { host: '127.0.0.1', port: 0 });
    try {
      const appId = runtime.bootstrap.appId;
      const patch = await fetch(`${server.url}/api/agent-admin/v1/apps/${appId}/auto-execute`, {
        method: 'PATCH',
        headers: { ...runtime.adminHeaders, 'content-type': 'application/json' },
        body: JSON.stringify({ high_risk: { enabled: true } }),
      });
      expect(patch.status).toBe(200);
      const g = await runGate({ run: { url: server.url, adminHeaders: runtime.adminHeaders, only: ['ENV-002'] }, deployment: { files: [], live: true } });
      expect(g.deployment!.findings.map((f) => `${f.status} ${f.ruleId} ${f.app}`)).toEqual([`fail GATE-003 ${appId}`, `warn GATE-004 ${appId}`, `warn GATE-005 ${appId}`]);
      expect(g.steps.find((s) => s.name === 'deployment')!.status).toBe('fail');
      const sarif = JSON.parse(renderGateSarif(g)).runs[0].results.find((r: any) => r.ruleId === 'GATE-003');
      expect(sarif.locations[0].physicalLocation.artifactLocation.uri).toBe(`${server.url}/api/agent-admin/v1/apps/${appId}`);
      // Without admin headers the live configuration cannot be read: the step says so instead of passing.
      const blind = await runGate({ run: { url: server.url, token: runtime.bootstrap.agentToken, only: ['ENV-002'] }, deployment: { files: [], live: true } });
      expect(blind.steps.find((s) => s.name === 'deployment')).toMatchObject({ status: 'skipped', summary: expect.stringContaining('--admin-header') });
      const refused = await runGate({ run: { url: server.url, adminHeaders: { authorization: 'Bearer adm_wrong' }, token: runtime.bootstrap.agentToken, only: ['ENV-002'] }, deployment: { files: [], live: true } });
      expect(refused.steps.find((s) => s.name === 'deployment')).toMatchObject({ status: 'error', summary: expect.stringContaining('HTTP 401') });
      expect(refused.exitCode).toBe(3);
    } finally {
      await server.close();
    }
  });
});
