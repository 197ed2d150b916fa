// `serve` through main(argv, io), in-process: its output is captured and its SIGTERM is the test's own.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CAP_FLAGS } from '../../src/cli/serve.js';
import { cli, startCli, startServe, TestSignals, type Served } from '../support/cli.js';

/** `serve ARGS`: `printed(re)` waits until its output matches, `stop` sends SIGTERM and waits for its end. */
function serve(...args: string[]) {
  const signals = new TestSignals();
  const s = startCli(['serve', ...args], { signals });
  return {
    printed: (re: RegExp) => s.stdout.until((t) => re.test(t)),
    stop: () => {
      signals.send('SIGTERM');
      return s.done;
    },
  };
}

/** The JSON line of `serve --json`, once printed. */
async function infoOf(s: ReturnType<typeof serve>) {
  const text = await s.printed(/\n/);
  return JSON.parse(text.slice(0, text.indexOf('\n')));
}

describe('serve command', () => {
  it('takes the per-app and per-tenant caps, the refused-authentication limit and a Host check over real sockets', async () => {
    const s = serve('--port', '0', '--json', '--app-drafts', '1', '--auth-failure-limit', '1');
    const info = await infoOf(s);
    const write = () => fetch(`${info.url}/api/agent/v1/actions`, {
      method: 'POST', headers: { authorization: `Bearer ${info.agentToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: 't', amount_home: 1 } }),
    });
    expect((await write()).status).toBe(200);
    const full = await write();
    expect(full.status).toBe(429);
    expect(((await full.json()) as any).details).toMatchObject({ reason: 'storage_full', scope: 'app', limit: 1 });
    const bad = () => fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer op_${'B'.repeat(43)}` } });
    expect((await bad()).status).toBe(401);
    expect((await bad()).status).toBe(429);
    // fetch sets Host from the URL; a rebinding page's name is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      const u = new URL(info.url);
      import('node:http').then(({ request }) => request({ host: u.hostname, port: u.port, path: '/api/agent/v1/manifest', headers: { host: 'attacker.example', authorization: `Bearer ${info.agentToken}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).on('error', reject).end(), reject);
    });
    expect(rebound).toBe(403);
    expect((await s.stop()).code).toBe(0);
  });

  /** For each cap: records the server holds before the first write (the bootstrap app and key), and one write it counts. */
  const capped: Record<(typeof CAP_FLAGS)[number][0], { store: string; held: number; write: (s: Served, i: number) => Promise<Response> }> = (() => {
    const agent = (path: string, body: object) => (s: Served) => fetch(`${s.url}/api/agent/v1/${path}`, {
      method: 'POST', headers: { authorization: `Bearer ${s.agentToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const create = { action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'expense', title: 't', amount_home: 1 } };
    const admin = (path: (s: Served) => string, body: object) => (s: Served) => fetch(`${s.url}/api/agent-admin/v1/${path(s)}`, {
      method: 'POST', headers: { ...s.adminHeaders, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    const drafts = { store: 'drafts', held: 0, write: agent('actions', create) };
    const preflights = { store: 'live preflights', held: 0, write: agent('preflight', create) };
    // A record is kept once its draft executes: the draft is approved; the next write with a new key finds the store full.
    const idempotency = {
      store: 'idempotency records', held: 0,
      write: async (s: Served, i: number) => {
        const r = await agent('actions', { ...create, idempotencyKey: `cap-${i}` })(s);
        if (r.status !== 200) return r;
        const { data } = (await r.json()) as { data: { draft: { id: string } } };
        return admin(() => `drafts/${data.draft.id}/approve`, {})(s);
      },
    };
    return {
      drafts, preflights, idempotency, tenantDrafts: drafts, tenantPreflights: preflights, tenantIdempotency: idempotency,
      appDrafts: drafts, appPreflights: preflights, appIdempotency: idempotency,
      apps: { store: 'apps', held: 1, write: admin(() => 'apps', { scope: 'workspace', name: 'cap', scopes: ['ledger.read'] }) },
      keys: { store: 'keys', held: 1, write: admin((s) => `apps/${s.appId}/keys`, { name: 'cap' }) },
    };
  })();

  it.each(CAP_FLAGS)('takes every cap as a flag: %s as %s refuses the write past it with 429 storage_full of that scope', async (key, flag) => {
    const { store, held, write } = capped[key];
    const limit = held + 1;
    const s = await startServe([flag, String(limit)]);
    try {
      expect((await write(s, 1)).status).toBeLessThan(300);
      const full = await write(s, 2);
      expect(full.status).toBe(429);
      const scope = key.startsWith('tenant') ? 'tenant' : key.startsWith('app') && key !== 'apps' ? 'app' : 'server';
      expect(((await full.json()) as any).details).toEqual({ reason: 'storage_full', store, scope, limit });
    } finally {
      await s.stop();
    }
  });

  it('--audit-events bounds the audit events held in memory', async () => {
    const s = await startServe(['--audit-events', '3']);
    try {
      for (let i = 0; i < 8; i++) await fetch(`${s.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${s.agentToken}` } });
      const listed = (await (await fetch(`${s.url}/api/agent-admin/v1/audit?limit=100`, { headers: s.adminHeaders })).json()) as any;
      expect(listed.data.items).toHaveLength(3);
    } finally {
      await s.stop();
    }
  });

  it('prints one JSON line with the real URL and tokens, serves, and stops on SIGTERM', async () => {
    const s = serve('--port', '0', '--json', '--fault', 'adm-no-retry-after', '--rate-limit', '5');
    const info = await infoOf(s);
    expect(Object.keys(info)).toEqual(['url', 'adminHeaders', 'agentToken', 'appId', 'faults']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:(?!0$)\d+$/);
    expect(info.faults).toEqual(['adm-no-retry-after']);
    const r = await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).data.app.id).toBe(info.appId);
    const admin = await fetch(`${info.url}/api/agent-admin/v1/apps`, { headers: info.adminHeaders });
    expect(admin.status).toBe(200);
    expect((await s.stop()).code).toBe(0);
    await expect(fetch(`${info.url}/healthz`)).rejects.toThrow();
  });

  it('--mcp serves the MCP binding at <url>/mcp on the same port: the SDK client with the token sees the visible tools', async () => {
    const s = serve('--port', '0', '--json', '--mcp');
    const info = await infoOf(s);
    expect(info.mcpUrl).toBe(`${info.url}/mcp`);
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 'vitest', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(info.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${info.agentToken}` } } }));
    const manifest = (await (await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } })).json()) as any;
    // The manifest's visible tools, in order, then the binding's own draft poll (marked as the binding's, not the manifest's).
    const tools = (await client.listTools()).tools;
    expect(tools.map((t) => t.name)).toEqual([...manifest.data.tools.map((t: any) => t.name), 'openport.draft.get']);
    expect(tools.filter((t) => t._meta?.['openport/binding'] !== undefined).map((t) => t.name)).toEqual(['openport.draft.get']);
    await client.close();
    await s.stop();
  });

  it('without --mcp, /mcp is no MCP endpoint', async () => {
    const s = serve('--port', '0', '--json');
    const info = await infoOf(s);
    const r = await fetch(`${info.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${info.agentToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(404);
    await s.stop();
  });

  it('prints a banner whose secrets are shortened to a prefix', async () => {
    const s = serve('--port', '0');
    const banner = await s.printed(/Ctrl-C to stop/);
    const url = /listening on (\S+)/.exec(banner)![1]!;
    expect(banner).toMatch(/agent token {4}op_[\w-]{5}…/);
    expect(banner).toMatch(/authorization: Bearer adm_[\w-]{1,8}…/);
    expect(banner).not.toMatch(/op_[\w-]{20,}|adm_[\w-]{20,}/);
    // What it suggests is the command --secrets-file prints (run as printed in the test below): a full run.
    expect(banner).toMatch(/Try: npx openport-conform serve --secrets-file \.openport\.env {2}\(then: \. \.openport\.env; npx openport-conform run "\$OPENPORT_URL" .*--safety load\)/);
    await s.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('--secrets-file writes the secrets in full to a 0600 shell file that defines the replay variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-secrets-'));
    const file = join(dir, 'openport.env');
    const s = serve('--port', '0', '--secrets-file', file);
    const banner = await s.printed(/Ctrl-C to stop/);
    expect(banner).toContain(`secrets        in ${file} (mode 0600); load them with: . ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const vars = execFileSync('sh', ['-c', `. '${file}'; printf '%s\\n' "$OPENPORT_URL" "$OPENPORT_TOKEN" "$OPENPORT_ADMIN_AUTHORIZATION"`], { encoding: 'utf8' }).trim().split('\n');
    const r = await fetch(`${vars[0]}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${vars[1]}` } });
    expect(r.status).toBe(200);
    expect((await fetch(`${vars[0]}/api/agent-admin/v1/apps`, { headers: { authorization: vars[2]! } })).status).toBe(200);
    // The command the banner suggests, run as printed with the file's variables, is a conformant run.
    const suggested = /Try: npx openport-conform (run .*)$/m.exec(banner)![1]!;
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'openport-conform.js');
    // Not execFileSync: the server answers from this process.
    await promisify(execFile)('sh', ['-c', `. '${file}'; '${process.execPath}' '${bin}' ${suggested} --reporter json --out '${join(dir, 'try')}'`]);
    expect(JSON.parse(readFileSync(join(dir, 'try', 'report.json'), 'utf8'))).toMatchObject({ verdict: 'conformant', exitCode: 0 });
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists faults, and refuses unknown ones with exit code 2 naming the nearest and where all are listed', async () => {
    const list = await cli(['serve', '--list-faults']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/authn-revocation-cache\s+.*\n\s+breaks: AUTHN\.order\.revoked-next-request, AUTHN\.order\.revoked-no-caching\n/);
    const err = await cli(['serve', '--fault', 'authn-revocation-cach']);
    expect(err.code).toBe(2);
    expect(err.stderr).toMatch(/unknown fault "authn-revocation-cach"; nearest: authn-revocation-cache\b.* \(all: openport-conform serve --list-faults\)\n$/);
  });

  it('serves the helpdesk domain with --domain, saying so in the JSON line and the banner', async () => {
    const json = serve('--port', '0', '--json', '--domain', 'helpdesk');
    const info = await infoOf(json);
    expect(info).toMatchObject({ domain: 'helpdesk', orgId: 'org_helpdesk', faults: [] });
    const r = await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(((await r.json()) as any).data.tools.map((t: any) => t.name)).toContain('ticket.close');
    const projects = await fetch(`${info.url}/api/agent/v1/projects`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(projects.status).toBe(200);
    await json.stop();

    const banner = serve('--port', '0', '--domain', 'helpdesk');
    const text = await banner.printed(/Ctrl-C to stop/);
    expect(text).toMatch(/domain {9}helpdesk \(projects and tickets/);
    expect(text).toMatch(/all helpdesk scopes, tenant org_helpdesk/);
    expect(text).toContain('serve --domain helpdesk --secrets-file');
    expect(text).toContain('--target fixtures/targets/helpdesk.yaml');
    await banner.stop();
  });

  it('lists the domains in --help and refuses an unknown one', async () => {
    const help = (await cli(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('choices: "demo", "helpdesk", default: "demo"');
    const crm = await cli(['serve', '--domain', 'crm']);
    expect(crm.code).toBe(2);
    expect(crm.stderr).toMatch(/option '--domain <name>' argument 'crm' is invalid/);
  });

  it('refuses a non-loopback host', async () => {
    const r = await cli(['serve', '--host', '0.0.0.0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '--host <host>' argument '0\.0\.0\.0' is invalid\. must be a loopback address/);
  });
});
