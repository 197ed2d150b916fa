// The MCP binding served by the reference runtime, driven by the official SDK's own client (docs/mcp-binding.md).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { startHttpServer, type StartedServer } from '../../src/runtime/index.js';
import { createRuntime } from '../../src/runtime/index.js';
import { connectInMemory, DRAFT_TOOL, META as MCP_META, OPENPORT_JSONRPC_ERROR, RESOURCE_METADATA_PATH, toMcpTool } from '../../src/runtime/mcp.js';
import { CREATE, harness, type Harness } from './helpers.js';

async function connect(url: string, token: string | undefined): Promise<Client> {
  const client = new Client({ name: 'vitest', version: '1' });
  const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  await client.connect(new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers } }));
  return client;
}

const INIT = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

async function rawInit(url: string, headers: Record<string, string>, path = '/mcp'): Promise<{ status: number; headers: Headers; json: any }> {
  return rawPost(url, headers, INIT, path);
}

async function rawPost(url: string, headers: Record<string, string>, body: unknown, path = '/mcp'): Promise<{ status: number; headers: Headers; json: any }> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: res.status, headers: res.headers, json: await res.json().catch(() => undefined) };
}

/** A message on an open session (raw: what an SDK client would not send). */
function onSession(url: string, token: string, sid: string, body: unknown) {
  return rawPost(url, { authorization: `Bearer ${token}`, 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' }, body);
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
    // The binding's own draft poll comes last, marked as the binding's (not a tool of the manifest).
    expect(list.tools.map((t) => t.name)).toEqual(['ledger.list', DRAFT_TOOL]);
    expect(list.tools[1]!._meta?.[MCP_META.binding]).toBe('draft-poll');
    const all = await (await open(h.token)).listTools();
    const manifest = (await h.agent('GET', '/manifest')).json.data.tools.map((t: any) => t.name);
    expect(all.tools.map((t) => t.name)).toEqual([...manifest, DRAFT_TOOL]);
    const byName = Object.fromEntries(all.tools.map((t) => [t.name, t]));
    expect(byName['ledger.list']!.annotations).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
    expect(byName['transaction.create']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(byName['transaction.delete']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(byName['transaction.hard_delete']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    // High risk is destructive whatever the name says.
    expect(byName['transactions.export_csv']!.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    // A read's data schema is MCP's outputSchema; a write (draft, execution or preflight record) declares none there.
    expect(byName['transaction.list']!.outputSchema).toMatchObject({ type: 'object', properties: { items: { type: 'array' } } });
    expect(byName['transaction.create']!.outputSchema).toBeUndefined();
    expect(byName['transaction.list']!.inputSchema).toMatchObject({ type: 'object', required: ['ledgerId'] });
    expect(byName['transaction.delete']!._meta?.[MCP_META.tool]).toEqual({ kind: 'action', requiredScopes: ['transaction.delete'], risk: 'high', requiresConfirmation: true, outputSchema: expect.any(Object) });
    expect(Object.keys((byName['transaction.create']!.inputSchema as any).properties)).toEqual(expect.arrayContaining(['payload', 'preflightId', 'execute', 'idempotencyKey', 'justification', 'preflightHash']));
    // The demo's manifest leaves payloads undescribed; over MCP the model gets their fields.
    expect((byName['transaction.create']!.inputSchema as any).properties.payload).toMatchObject({ type: 'object', required: ['ledgerId', 'kind', 'title', 'amount_home'] });
    expect((byName['transaction.hard_delete']!.inputSchema as any).properties.payload).toMatchObject({ required: ['transactionId'] });
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
    // node:http, since fetch sets Host itself.
    const initWithHost = (host: string) => new Promise<{ status?: number; body: string }>((resolve, reject) => {
      const req = request(`${server.url}/mcp`, { method: 'POST', headers: { host, authorization: `Bearer ${h.token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c)).on('end', () => resolve({ status: res.statusCode, body }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(INIT));
    });
    const refused = await initWithHost('evil.example:80');
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({ error: { code: -32010, data: { code: 'agent.policy_denied', message: 'Host header does not name this loopback server' } } });
    expect((await initWithHost(new URL(server.url).host)).status).toBe(200);
  });

  it('refuses an Origin that is not loopback (DNS rebinding from a web page); a loopback Origin is served', async () => {
    const auth = { authorization: `Bearer ${h.token}` };
    expect((await rawInit(server.url, { ...auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await rawInit(server.url, { ...auth, origin: 'null' })).status).toBe(403);
    // With the HTTP binding's reason code, as every refusal of the endpoint (E2).
    expect((await rawInit(server.url, { ...auth, origin: 'https://evil.example' })).json).toMatchObject({ error: { code: -32010, data: { code: 'agent.policy_denied', message: 'Origin is not a loopback origin' } } });
    expect((await rawInit(server.url, { ...auth, origin: server.url })).status).toBe(200);
  });

  it('the tool name is the action: another arguments.action is refused (no draft); an unknown tool is -32602 with agent.action_unknown', async () => {
    const app = await h.newApp({ name: 'override' });
    const c = await open(app.token);
    const r = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE, action: 'transaction.hard_delete' } });
    expect(r.isError).toBe(true);
    expect(r._meta?.[MCP_META.code]).toBe('agent.action_invalid');
    expect(await h.drafts(app.appId)).toEqual([]);
    // The same action named twice is no conflict.
    expect((await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE, action: 'transaction.create' } })).isError).toBeFalsy();
    const unknown = await c.callTool({ name: 'test_simple_text', arguments: {} }).then(() => undefined, (e: unknown) => e);
    expect(unknown).toBeInstanceOf(McpError);
    expect((unknown as McpError).code).toBe(-32602);
    expect(((unknown as McpError).data as any).code).toBe('agent.action_unknown');
    // The core decided it, so it is audited as over HTTP.
    expect((await h.audit(app.appId)).some((e) => e.code === 'agent.action_unknown')).toBe(true);
  });

  it('the official SDK client drives draft → approve → poll with the draft tool; another app\'s draft is draft_not_found', async () => {
    const app = await h.newApp({ name: 'flow' });
    const c = await open(app.token);
    const write = await c.callTool({ name: 'transaction.create', arguments: { payload: CREATE } });
    const id = (write.structuredContent as any).draft.id as string;
    const before = await c.callTool({ name: DRAFT_TOOL, arguments: { draftId: id } });
    expect((before.structuredContent as any).draft.status).toBe('draft');
    expect((await h.admin('POST', `/drafts/${id}/approve`, {})).status).toBe(200);
    const after = await c.callTool({ name: DRAFT_TOOL, arguments: { draftId: id } });
    expect((after.structuredContent as any).draft.status).toBe('confirmed');
    expect((after.structuredContent as any).execution.status).toBe('success');
    const other = await (await open(h.token)).callTool({ name: DRAFT_TOOL, arguments: { draftId: id } });
    expect(other).toMatchObject({ isError: true, _meta: { [MCP_META.code]: 'agent.draft_not_found' } });
  });

  it('a refusal\'s text names each validation issue; params the schema rejects are -32602; JSON-RPC messages carry no doubled prefix', async () => {
    const c = await open(h.token);
    const r = await c.callTool({ name: 'transaction.create', arguments: { payload: { ledgerId: 'ledger_main' } } });
    const text = (r.content as { text: string }[])[0]!.text;
    expect(text.split('\n')[0]).toBe('common.validation: Validation failed');
    expect(text).toMatch(/^- payload\.\w+: .+$/m);
    const opened = await rawInit(server.url, { authorization: `Bearer ${h.token}` });
    const sid = opened.headers.get('mcp-session-id')!;
    const bad = await onSession(server.url, h.token, sid, { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 5 } });
    expect(bad.json.error.code).toBe(-32602);
    const gone = await onSession(server.url, h.token, sid, { jsonrpc: '2.0', id: 8, method: 'resources/read', params: { uri: 'openport://drafts/nope' } });
    expect(gone.json.error).toMatchObject({ code: OPENPORT_JSONRPC_ERROR, message: expect.not.stringMatching(/MCP error/), data: { code: 'agent.draft_not_found' } });
  });

  it('a body over the cap on /mcp is a JSON-RPC error (HTTP 413)', async () => {
    const small = await startHttpServer(h.runtime, { mcp: true, bodyLimitBytes: 1024 });
    try {
      const r = await rawPost(small.url, { authorization: `Bearer ${h.token}` }, { ...INIT, pad: 'x'.repeat(4096) });
      expect(r.status).toBe(413);
      expect(r.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32600, data: { code: 'common.validation' } } });
    } finally {
      await small.close();
    }
  });

  it('names its RFC 9728 metadata in the 401 challenge; a refused token is error="invalid_token"', async () => {
    const none = await rawInit(server.url, {});
    expect(none.headers.get('www-authenticate')).toBe(`Bearer realm="openport", resource_metadata="${server.url}${RESOURCE_METADATA_PATH}"`);
    const wrong = await rawInit(server.url, { authorization: 'Bearer op_notarealtokennotarealtoken' });
    expect(wrong.headers.get('www-authenticate')).toMatch(/^Bearer realm="openport", error="invalid_token", resource_metadata="/);
    const doc = await (await fetch(`${server.url}${RESOURCE_METADATA_PATH}`)).json();
    expect(doc).toMatchObject({ resource: `${server.url}/mcp`, bearer_methods_supported: ['header'] });
    expect(doc.authorization_servers).toBeUndefined();
  });
});

describe('serve --mcp: sessions are bounded per key and per tenant, evicting only the key\'s own', () => {
  it('a key past its quota loses its own oldest session; a full tenant refuses a new key; no other key or tenant loses one', async () => {
    const h = harness({ rateLimit: { limit: 10_000, windowMs: 60_000 } });
    // Small quotas, same rules as the default SESSION_QUOTAS.
    const quotas = { perKey: 8, perTenant: 32, total: 1_000 };
    const server = await startHttpServer(h.runtime, { mcp: true, mcpSessionQuotas: quotas });
    try {
      const init = async (token: string) => {
        const r = await rawInit(server.url, { authorization: `Bearer ${token}` });
        return { status: r.status, sid: r.headers.get('mcp-session-id') };
      };
      const ping = async (token: string, sid: string) => (await onSession(server.url, token, sid, { jsonrpc: '2.0', id: 9, method: 'ping' })).status;
      const other = await h.newApp({ name: 'other tenant', org_id: 'org_other' });
      const victim = await init(other.token);
      const keys = [];
      for (let k = 0; k < quotas.perTenant / quotas.perKey; k++) keys.push(await h.newApp({ name: `k${k}` }));
      const first = await init(keys[0]!.token);
      const sessions: string[] = [first.sid!];
      for (let i = 1; i < quotas.perKey; i++) sessions.push((await init(keys[0]!.token)).sid!);
      expect(await ping(keys[0]!.token, first.sid!)).toBe(200);
      // One more for the same key: its own oldest goes.
      expect((await init(keys[0]!.token)).status).toBe(200);
      expect(await ping(keys[0]!.token, first.sid!)).toBe(404);
      expect(await ping(keys[0]!.token, sessions[1]!)).toBe(200);
      // Fill the tenant with the other keys, then a fresh key of the same tenant is refused, not served by eviction.
      for (const k of keys.slice(1)) for (let i = 0; i < quotas.perKey; i++) expect((await init(k.token)).status).toBe(200);
      const late = await h.newApp({ name: 'late' });
      const refused = await rawInit(server.url, { authorization: `Bearer ${late.token}` });
      expect(refused.status).toBe(429);
      expect(refused.json.error.data.code).toBe('agent.rate_limited');
      // Another tenant still opens sessions, and its first one survived all of it.
      expect((await init(other.token)).status).toBe(200);
      expect(await ping(other.token, victim.sid!)).toBe(200);
      // A revoked key's sessions hold no quota: revoking one key of the full tenant lets the late key in.
      expect((await h.admin('POST', `/keys/${keys[1]!.keyId}/revoke`, {})).status).toBe(200);
      expect((await init(late.token)).status).toBe(200);
    } finally {
      await server.close();
      await h.runtime.close();
    }
  }, 60_000);

  it('every message counts against the key\'s rate limit: initialize, notifications and pings as well as calls', async () => {
    const h = harness({ rateLimit: { limit: 5, windowMs: 60_000 } });
    const server = await startHttpServer(h.runtime, { mcp: true });
    try {
      const opened = await rawInit(server.url, { authorization: `Bearer ${h.token}` });
      const sid = opened.headers.get('mcp-session-id')!;
      const statuses: number[] = [];
      statuses.push((await onSession(server.url, h.token, sid, { jsonrpc: '2.0', method: 'notifications/initialized' })).status);
      for (let i = 0; i < 4; i++) statuses.push((await onSession(server.url, h.token, sid, { jsonrpc: '2.0', id: 10 + i, method: 'ping' })).status);
      // initialize (1) + the notification (2) + pings 3..5 pass; the sixth message is refused.
      expect(statuses).toEqual([202, 200, 200, 200, 429]);
    } finally {
      await server.close();
      await h.runtime.close();
    }
  });
});

describe('annotations follow risk on both domains', () => {
  it.each(['demo', 'helpdesk'] as const)('%s: reads read-only, writes never, high risk and deletes destructive', (domain) => {
    const rt = createRuntime({ domain });
    for (const t of rt.tools ?? []) {
      const a = toMcpTool(t, rt.hooks).annotations!;
      const write = t.kind === 'action';
      expect(a.readOnlyHint, t.name).toBe(!write);
      expect(a.destructiveHint, t.name).toBe(write && (t.risk === 'high' || /\.(hard_)?delete$/.test(t.name)));
    }
    void rt.close();
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
