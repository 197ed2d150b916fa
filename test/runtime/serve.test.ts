import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ToolError } from '../../src/kit/check.js';
import { registerServe } from '../../src/cli/serve.js';

function program() {
  const p = new Command('openport-conform').exitOverride();
  registerServe(p);
  return p;
}

function captureStdout() {
  const lines: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  });
  return { lines, spy };
}

// Start-up loads modules (the MCP SDK with --mcp): on a loaded machine it outlasts waitFor's 1 s default.
const STARTED = { timeout: 30_000 };

afterEach(() => vi.restoreAllMocks());

describe('serve command', () => {
  it('prints one JSON line with the real URL and tokens, serves, and stops on SIGTERM', async () => {
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--json', '--fault', 'adm-no-retry-after', '--rate-limit', '5']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    const info = JSON.parse(lines[0]!);
    expect(Object.keys(info)).toEqual(['url', 'adminHeaders', 'agentToken', 'appId', 'faults']);
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:(?!0$)\d+$/);
    expect(info.faults).toEqual(['adm-no-retry-after']);
    const r = await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(r.status).toBe(200);
    expect(((await r.json()) as any).data.app.id).toBe(info.appId);
    const admin = await fetch(`${info.url}/api/agent-admin/v1/apps`, { headers: info.adminHeaders });
    expect(admin.status).toBe(200);
    process.emit('SIGTERM');
    await running;
    await expect(fetch(`${info.url}/healthz`)).rejects.toThrow();
  });

  it('--mcp serves the MCP binding at <url>/mcp on the same port: the SDK client with the token sees the visible tools', async () => {
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--json', '--mcp']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    const info = JSON.parse(lines[0]!);
    expect(info.mcpUrl).toBe(`${info.url}/mcp`);
    const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
    const { StreamableHTTPClientTransport } = await import('@modelcontextprotocol/sdk/client/streamableHttp.js');
    const client = new Client({ name: 'vitest', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL(info.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${info.agentToken}` } } }));
    const manifest = (await (await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } })).json()) as any;
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(manifest.data.tools.map((t: any) => t.name));
    await client.close();
    process.emit('SIGTERM');
    await running;
  });

  it('without --mcp, /mcp is no MCP endpoint', async () => {
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--json']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    const info = JSON.parse(lines[0]!);
    const r = await fetch(`${info.url}/mcp`, { method: 'POST', headers: { authorization: `Bearer ${info.agentToken}`, 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(404);
    process.emit('SIGTERM');
    await running;
  });

  it('prints a banner whose secrets are shortened to a prefix', async () => {
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0']);
    await vi.waitFor(() => expect(lines.join('')).toMatch(/Ctrl-C to stop/), STARTED);
    const banner = lines.join('');
    const url = /listening on (\S+)/.exec(banner)![1]!;
    expect(banner).toMatch(/agent token {4}op_[\w-]{5}…/);
    expect(banner).toMatch(/authorization: Bearer adm_[\w-]{1,8}…/);
    expect(banner).not.toMatch(/op_[\w-]{20,}|adm_[\w-]{20,}/);
    process.emit('SIGTERM');
    await running;
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('--secrets-file writes the secrets in full to a 0600 shell file that defines the replay variables', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opc-secrets-'));
    const file = join(dir, 'openport.env');
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--secrets-file', file]);
    await vi.waitFor(() => expect(lines.join('')).toMatch(/Ctrl-C to stop/), STARTED);
    expect(lines.join('')).toContain(`secrets        in ${file} (mode 0600); load them with: . ${file}`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const vars = execFileSync('sh', ['-c', `. '${file}'; printf '%s\\n' "$OPENPORT_URL" "$OPENPORT_TOKEN" "$OPENPORT_ADMIN_AUTHORIZATION"`], { encoding: 'utf8' }).trim().split('\n');
    const r = await fetch(`${vars[0]}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${vars[1]}` } });
    expect(r.status).toBe(200);
    expect((await fetch(`${vars[0]}/api/agent-admin/v1/apps`, { headers: { authorization: vars[2]! } })).status).toBe(200);
    process.emit('SIGTERM');
    await running;
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists faults, and refuses unknown ones with exit code 2 naming the valid choices', async () => {
    const { lines } = captureStdout();
    await program().parseAsync(['node', 'x', 'serve', '--list-faults']);
    expect(lines.join('')).toMatch(/authn-revocation-cache\s+AUTHN-004/);
    const err = await program().parseAsync(['node', 'x', 'serve', '--fault', 'nope']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(2);
    expect((err as Error).message).toMatch(/"nope".*env-text-errors/);
  });

  it('serves the helpdesk domain with --domain, saying so in the JSON line and the banner', async () => {
    const { lines } = captureStdout();
    const running = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--json', '--domain', 'helpdesk']);
    await vi.waitFor(() => expect(lines.length).toBe(1), STARTED);
    const info = JSON.parse(lines[0]!);
    expect(info).toMatchObject({ domain: 'helpdesk', orgId: 'org_helpdesk', faults: [] });
    const r = await fetch(`${info.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(((await r.json()) as any).data.tools.map((t: any) => t.name)).toContain('ticket.close');
    const projects = await fetch(`${info.url}/api/agent/v1/projects`, { headers: { authorization: `Bearer ${info.agentToken}` } });
    expect(projects.status).toBe(200);
    process.emit('SIGTERM');
    await running;

    lines.length = 0;
    const banner = program().parseAsync(['node', 'x', 'serve', '--port', '0', '--domain', 'helpdesk']);
    await vi.waitFor(() => expect(lines.join('')).toMatch(/Ctrl-C to stop/), STARTED);
    const text = lines.join('');
    expect(text).toMatch(/domain {9}helpdesk \(projects and tickets/);
    expect(text).toMatch(/all helpdesk scopes, tenant org_helpdesk/);
    expect(text).toContain('serve --domain helpdesk --secrets-file');
    expect(text).toContain('--target fixtures/targets/helpdesk.yaml');
    process.emit('SIGTERM');
    await banner;
  });

  it('lists the domains in --help and refuses an unknown one', async () => {
    const help = program().commands.find((c) => c.name() === 'serve')!.helpInformation().replace(/\s+/g, ' ');
    expect(help).toContain('choices: "demo", "helpdesk", default: "demo"');
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(program().parseAsync(['node', 'x', 'serve', '--domain', 'crm'])).rejects.toMatchObject({ code: 'commander.invalidArgument' });
  });

  it('refuses a non-loopback host', async () => {
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await expect(program().parseAsync(['node', 'x', 'serve', '--host', '0.0.0.0'])).rejects.toMatchObject({ exitCode: 1, code: 'commander.invalidArgument' });
  });
});
