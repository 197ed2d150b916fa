// The MCP binding served by the reference runtime, driven by the official SDK's own client (docs/mcp-binding.md).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type StartedServer } from '../../src/runtime/index.js';
import { connectInMemory, META as MCP_META, OPENPORT_JSONRPC_ERROR } from '../../src/runtime/mcp.js';
import { CREATE, harness, type Harness } from './helpers.js';

async function connect(url: string, token: string | undefined): Promise<Client> {
  const client = new Client({ name: 'vitest', version: '1' });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  return client;
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

async function rawInit(url: string, headers: Record<string, string>, path = '/mcp'): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: JSON.stringify(INIT) });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
}

describe('serve --mcp: the MCP binding over Streamable HTTP', () => {
  let h: Harness;
  let server: StartedServer;
  const clients: Client[] = [];
  const open = async (token: string | undefined) => {
    const c = await connect(server.url, token);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    h = harness({ rateLimit: { limit: 1000, windowMs: 60_000 } });
    server = await startHttpServer(h.runtime, { mcp: true });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
    await h.runtime.close();
  });

  it('tools/list is exactly the key\'s visible tools, with schemas, explicit annotations and OpenPort metadata', async () => {
    const ro = await h.newApp({ name: 'ro', scopes: ['ledger.read'] });
    const list = await (await open(ro.token)).listTools();
    expect(list.tools.map((t) => t.name)).toEqual(['ledger.list']);
    const all = await (await open(h.token)).listTools();
    const manifest = (await h.agent('GET', '/manifest')).json.data.tools.map((t: any) => t.name);
    expect(all.tools.map((t) => t.name)).toEqual(manifest);
    const byName = Object.fromEntries(all.tools.map((t) => [t.name, t]));
    expect(byName['ledger.list']!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(byName['transaction.create']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName['transaction.delete']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName['transaction.hard_delete']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName['transaction.list']!.inputSchema).toMatchObject({ type: 'object', required: ['ledgerId'] });
    expect(byName['transaction.delete']!._meta?.[MCP_META.tool]).toEqual({ kind: 'action', requiredScopes: ['transaction.delete'], risk: 'high', requiresConfirmation: true, outputSchema: expect.any(Object) });
    expect(Object.keys((byName['transaction.create']!.inputSchema as any).properties)).toEqual(expect.arrayContaining(['payload', 'preflightId', 'execute', 'idempotencyKey', 'justification', 'preflightHash']));
    expect(all._meta?.[MCP_META.app]).toMatchObject({ id: h.runtime.bootstrap.appId, orgId: 'org_demo' });
  });

  it('a read returns the data; a write creates a draft (in structuredContent) that the agent can poll as a resource', async () => {
    const c = await open(h.token);
    const read = await c.callTool({ name: 'transaction.list', arguments: { ledgerId: 'ledger_main', pageSize: 5 } });
    expect(read.isError).toBeFalsy();
    expect((read.structuredContent as any).items.length).toBeGreaterThan(0);
    expect((read.structuredContent as any).pageSize).toBe(5);
    const write = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE } });
    const data = write.structuredContent as any;
    expect(write.isError).toBeFalsy();
    expect(data.status).toBe('draft');
    expect(data.draft.status).toBe('draft');
    const drafts = await h.drafts(h.runtime.bootstrap.appId);
    expect(drafts.map((d) => d.id)).toContain(data.draft.id);
    const polled = await c.readResource({ uri: `openport://drafts/${data.draft.id}` });
    const [resource] = polled.contents;
    // A draft resource is JSON text, never a blob.
    if (!resource || !('text' in resource)) throw new Error(`expected one text resource, got ${JSON.stringify(polled.contents)}`);
    expect(JSON.parse(resource.text).draft.id).toBe(data.draft.id);
    const events = await h.audit(h.runtime.bootstrap.appId);
    expect(events.some((e) => e.action === 'agent.action.draft.created' && e.draft_id === data.draft.id)).toBe(true);
  });

  it('preflight is a tool call with _meta openport/preflight; execute gates follow the same auto-execute policy', async () => {
    const c = await open(h.token);
    const pf = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE }, _meta: { [MCP_META.preflight]: true } });
    expect((pf.structuredContent as any).impactHash).toMatch(/^[0-9a-f]{64}$/);
    const denied = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE, execute: true } });
    expect((denied.structuredContent as any).autoExecuteDeniedCode).toBe('agent.auto_execute_disabled');
  });

  it('a tool-level refusal is an isError result carrying the reason code', async () => {
    const ro = await h.newApp({ name: 'ro2', scopes: ['ledger.read'] });
    const c = await open(ro.token);
    const r = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE } });
    expect(r.isError).toBe(true);
    expect(r._meta?.[MCP_META.code]).toBe('agent.scope_denied');
    expect((r.structuredContent as any).code).toBe('agent.scope_denied');
    const hidden = await c.callTool({ name: 'transaction.list', arguments: { ledgerId: 'ledger_main' } });
    expect(hidden._meta?.[MCP_META.code]).toBe('agent.scope_denied');
  });

  it('refuses unauthenticated sessions and tokens in the query string (HTTP 401, reason code in error.data)', async () => {
    await expect(connect(server.url, undefined)).rejects.toThrow(/agent\.token_invalid/);
    await expect(connect(server.url, 'op_notarealtokennotarealtoken')).rejects.toThrow(/agent\.token_invalid/);
    const none = await rawInit(server.url, {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(none.json.error).toMatchObject({ code: OPENPORT_JSONRPC_ERROR, data: { code: 'agent.token_invalid' } });
    const query = await rawInit(server.url, {}, `/mcp?access_token=${h.token}`);
    expect(query.status).toBe(401);
    expect(query.json.error.data.code).toBe('agent.token_invalid');
    const ok = await rawInit(server.url, { authorization: `Bearer ${h.token}` });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('mcp-session-id')).toBeTruthy();
  });

  it('a session belongs to the token that opened it; revocation ends it at the next request', async () => {
    const app = await h.newApp({ name: 'rev' });
    const opened = await rawInit(server.url, { authorization: `Bearer ${app.token}` });
    const sid = opened.headers.get('mcp-session-id')!;
    const other = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${h.token}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(other.status).toBe(403);
    const c = await open(app.token);
    expect((await c.listTools()).tools.length).toBeGreaterThan(0);
    await h.admin('POST', `/keys/${app.keyId}/revoke`, {});
    await expect(c.listTools()).rejects.toThrow(/agent\.token_invalid/);
  });

  it('refuses a Host header that is not loopback (DNS rebinding)', async () => {
    const status = (host: string) => new Promise<number | undefined>((resolve, reject) => {
      const req = request(`${server.url}/mcp`, { method: 'POST', headers: { host, authorization: `Bearer ${h.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    expect(await status('evil.example:80')).toBe(403);
    expect(await status(new URL(server.url).host)).toBe(200);
  });
});

describe('the MCP binding shares the one core', () => {
  it('rate limits MCP tool calls like HTTP requests (isError agent.rate_limited with retryAfter)', async () => {
    const h = harness({ rateLimit: { limit: 3, windowMs: 60_000 } });
    const s = await connectInMemory(h.runtime, h.token);
    if ('refused' in s) throw new Error('refused');
    const c = new Client({ name: 'vitest', version: '1' });
    await c.connect(s.transport);
    const codes: unknown[] = [];
    for (let i = 0; i < 4; i++) codes.push((await c.callTool({ name: 'ledger.list', arguments: {} }))._meta?.[MCP_META.code]);
    expect(codes).toEqual(['common.success', 'common.success', 'common.success', 'agent.rate_limited']);
    const limited = await c.callTool({ name: 'ledger.list', arguments: {} });
    expect(limited._meta?.[MCP_META.retryAfter]).toBeGreaterThan(0);
    await expect(c.listTools()).rejects.toSatisfy((e: unknown) => e instanceof McpError && (e.data as any).code === 'agent.rate_limited');
    await c.close();
    await s.close();
  });

  it('embedded: an invalid token is refused before a session exists', async () => {
    const h = harness();
    const s = await connectInMemory(h.runtime, 'op_notarealtokennotarealtoken');
    expect('refused' in s && s.refused.status).toBe(401);
    expect('refused' in s && JSON.parse(s.refused.body).error).toMatchObject({ code: OPENPORT_JSONRPC_ERROR, data: { code: 'agent.token_invalid' } });
  });
});
