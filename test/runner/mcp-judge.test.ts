// The judge's MCP client (src/runner/mcp-client.ts): an MCP-only OpenPort server judged fully without one HTTP
// agent route, with no notifications/cancelled for completed calls; a plain MCP server refused once, up front;
// the journal and the reports holding the JSON-RPC messages as they went; reproduce lines that work pasted;
// the response-size and decompression caps of the HTTP binding, measured as the peak RSS of a CLI child.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { pipeline, type Transform } from 'node:stream';
import { constants as zlib, createBrotliCompress, createDeflate, createDeflateRaw, createGzip } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import { createMcpHttpHandler } from '../../src/runtime/mcp.js';
import type { Runtime } from '../../src/runtime/types.js';
import { readJournal } from '../../src/runner/journal.js';
import { harOf } from '../../src/evidence/har.js';
import { mcpCurlLine } from '../../src/runner/runner.js';
import { credentialVars, describe as describeExchange, mcpExpectation, mcpWorded } from '../../src/kit/expect.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPretty } from '../../src/report/pretty.js';
import { renderSarif } from '../../src/report/sarif.js';
import { Chalk } from 'chalk';
import { Finding, type Exchange } from '../../src/kit/check.js';
import { startMcpHostile } from '../../scripts/hostile-servers.mjs';
import { run, SAME_PROCESS_TIMEOUT_MS } from '../support/suite.js';
import { cli } from '../support/cli.js';
import { peakRss } from '../support/peak-rss.js';

const root = resolve(import.meta.dirname, '..', '..');
const NOT_FOUND = JSON.stringify({ ok: false, code: 'common.not_found', message: 'Not found' });

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function listen(server: HttpServer): Promise<{ url: string; close(): Promise<void> }> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

/**
 * An OpenPort server that serves its agent plane only over MCP: the runtime's /mcp handler and its admin plane
 * (which stays HTTP); /healthz and every /api/agent/v1 route answer 404. It counts the JSON-RPC messages it is sent.
 */
async function mcpOnlyServer(runtime: Runtime, opts: { hangOn?: string } = {}) {
  const mcp = createMcpHttpHandler(runtime);
  const seen = new Map<string, number>();
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/mcp') {
        if (req.method === 'DELETE') seen.set('DELETE', (seen.get('DELETE') ?? 0) + 1);
        if (req.method === 'POST') {
          // A body that is not JSON is the MCP handler's to refuse (AUTHN-001 sends one without a token).
          let msg: { method?: string } | { method?: string }[];
          try {
            msg = JSON.parse(body.toString('utf8')) as typeof msg;
          } catch {
            return mcp.handle(req, res, body);
          }
          for (const m of Array.isArray(msg) ? msg : [msg]) seen.set(m.method ?? 'response', (seen.get(m.method ?? 'response') ?? 0) + 1);
          // A call the server never answers (the connection stays open until the server closes).
          if (!Array.isArray(msg) && msg.method === 'tools/call' && (msg as { params?: { name?: string } }).params?.name === opts.hangOn) return;
        }
        return mcp.handle(req, res, body);
      }
      if (!path.startsWith('/api/agent-admin/')) return void res.writeHead(404, { 'content-type': 'application/json' }).end(NOT_FOUND);
      const r = await runtime.handle({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: body.length > 0 ? body : undefined, clientIp: req.socket.remoteAddress ?? '' });
      res.writeHead(r.status, r.headers).end(r.body);
    })();
  });
  const s = await listen(server);
  return { ...s, seen, close: async () => { await s.close(); await mcp.close(); } };
}

/** A plain MCP server built with the SDK: one tool, no OpenPort metadata (stateless, answers as event streams). */
async function plainMcpServer() {
  const server = createServer((req, res) => {
    void (async () => {
      const body = await bodyOf(req);
      if ((req.url ?? '').split('?')[0] !== '/mcp') return void res.writeHead(404).end();
      const mcp = new Server({ name: 'plain', version: '1' }, { capabilities: { tools: {} } });
      mcp.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [{ name: 'echo', description: 'Echo the text', inputSchema: { type: 'object', properties: { text: { type: 'string' } } } }] }));
      mcp.setRequestHandler(CallToolRequestSchema, async (r) => ({ content: [{ type: 'text', text: String(r.params.arguments?.text ?? '') }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
      await mcp.connect(transport);
      await transport.handleRequest(req, res, body.length > 0 ? JSON.parse(body.toString('utf8')) : undefined);
    })();
  });
  return listen(server);
}

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'opc-mcp-judge-'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('run --binding mcp against an MCP-only OpenPort server', () => {
  it('is judged fully without any HTTP agent route (conformant on state-witness), and no completed call is cancelled', async () => {
    // The rate window of the loopback test of test/runner/mcp-binding.test.ts, declared in the target file.
    const rateLimit = { limit: 60, windowMs: 10_000 };
    const rt = createRuntime({ rateLimit });
    const server = await mcpOnlyServer(rt);
    const targetFile = join(work, 'target.yaml');
    writeFileSync(targetFile, `extends: demo\nrateLimit: { limit: ${rateLimit.limit}, windowMs: ${rateLimit.windowMs} }\n`);
    try {
      const health = await fetch(`${server.url}/healthz`);
      const manifest = await fetch(`${server.url}/api/agent/v1/manifest`, { headers: { authorization: `Bearer ${rt.bootstrap.agentToken}` } });
      expect([health.status, manifest.status]).toEqual([404, 404]);
      const report = await run({ url: server.url, binding: 'mcp', targetFile, token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, profile: 'state-witness', safety: 'load', seed: 3, timeoutMs: SAME_PROCESS_TIMEOUT_MS });
      expect(report.results.filter((r) => r.status !== 'pass' && r.status !== 'skip').map((r) => `${r.id} ${r.status}: ${r.message} (actual: ${r.actual ?? ""})`)).toEqual([]);
      expect(report.verdict).toBe('conformant');
      // Checks do abort calls they stop waiting for (a deadline); a run of the clean server has none to abort.
      expect(server.seen.get('tools/call')).toBeGreaterThan(100);
      expect(server.seen.get('notifications/cancelled') ?? 0).toBe(0);
      // Every session the run opened, it ended (DELETE) when the run was over.
      expect(server.seen.get('DELETE')).toBe(server.seen.get('notifications/initialized'));
    } finally {
      await server.close();
      await rt.close();
    }
  }, 180_000);
});

/**
 * A proxy in front of `upstream` that answers every response of the MCP endpoint encoded as `coding` says (the first coding listed
 * applied first), flushed per chunk so an event stream stays live; "deflate-raw" is raw deflate sent as "deflate".
 */
async function compressingProxy(upstream: string, coding: string) {
  const encoders = (): Transform[] =>
    coding.split(',').map((c) => c.trim()).filter((c) => c !== 'identity').map((c) => {
      if (c === 'gzip' || c === 'x-gzip') return createGzip({ flush: zlib.Z_SYNC_FLUSH });
      if (c === 'deflate') return createDeflate({ flush: zlib.Z_SYNC_FLUSH });
      if (c === 'deflate-raw') return createDeflateRaw({ flush: zlib.Z_SYNC_FLUSH });
      return createBrotliCompress({ flush: zlib.BROTLI_OPERATION_FLUSH });
    });
  const server = createServer((req, res) => {
    const up = httpRequest(upstream + (req.url ?? '/'), { method: req.method, headers: req.headers }, (answer) => {
      if ((req.url ?? '').split('?')[0] !== '/mcp') return void pipeline([answer, res.writeHead(answer.statusCode ?? 502, answer.headers)], () => undefined);
      const { 'content-length': _length, ...headers } = answer.headers;
      res.writeHead(answer.statusCode ?? 502, { ...headers, 'content-encoding': coding.replace('deflate-raw', 'deflate') });
      pipeline([answer, ...encoders(), res], () => undefined);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  return listen(server);
}

describe('run --binding mcp against an endpoint that compresses its answers', () => {
  it.each(['gzip', 'x-gzip', 'deflate', 'deflate-raw', 'br', 'gzip, br', 'identity'])('%s: every answer is read decoded, and journaled decoded', async (coding) => {
    const rt = createRuntime();
    const upstream = await startHttpServer(rt, { mcp: true });
    const proxy = await compressingProxy(upstream.url, coding);
    const file = join(work, `compressed-${coding.replace(/\W+/g, '-')}.jsonl`);
    try {
      // The checks that speak through the MCP client (not the raw wire, which shows bodies as sent).
      const report = await run({ url: proxy.url, binding: 'mcp', token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, safety: 'load', only: ['DISC-001', 'WRITE-001', 'PREFLIGHT-001'], seed: 7, timeoutMs: SAME_PROCESS_TIMEOUT_MS, journal: { file } });
      expect(Object.fromEntries(report.results.map((r) => [r.id, `${r.status} ${r.message ?? ''}`]))).toEqual({ 'DISC-001': expect.stringMatching(/^pass/), 'WRITE-001': expect.stringMatching(/^pass/), 'PREFLIGHT-001': expect.stringMatching(/^pass/) });
      const listed = (await readJournal(file)).entries.find((e) => e.request.path === '/mcp' && e.request.body?.includes('"tools/list"') && e.response?.status === 200);
      expect(listed?.response?.body).toMatch(/"tools":\[/);
    } finally {
      await proxy.close();
      await upstream.close();
      await rt.close();
    }
  }, 60_000);
});

describe('run --binding mcp against a server that does not answer a call', () => {
  it('a call the client gives up on is an error of the run (no answer), never a refusal by the server', async () => {
    // --timeout is 2 s, not less: every other call of the run (session, tools/list) must answer within it
    // while this worker shares a loaded machine.
    const rt = createRuntime();
    const server = await mcpOnlyServer(rt, { hangOn: 'transaction.create' });
    try {
      const report = await run({ url: server.url, binding: 'mcp', token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, profile: 'write-lifecycle', safety: 'draft', seed: 3, only: ['WRITE-001'], timeoutMs: 2_000 });
      const r = report.results.find((x) => x.id === 'WRITE-001')!;
      expect(r).toMatchObject({ status: 'error', errorCode: 'OPC_E_TIMEOUT' });
      expect(r.message).toMatch(/MCP tools\/call transaction\.create: no answer within 2000 ms \(--timeout\)/);
      expect(report.verdict).not.toBe('not-conformant');
    } finally {
      await server.close();
      await rt.close();
    }
  }, 60_000);
});

describe('run --binding mcp against a plain MCP server', () => {
  it('ends with one exit-3 line: not OpenPort over MCP, before any check', async () => {
    const server = await plainMcpServer();
    try {
      const o = await cli(['run', server.url, '--binding', 'mcp', '--token', 'op_plain_key', '--out', join(work, 'plain'), '--reporter', 'json']);
      expect(o.code, o.stdout + o.stderr).toBe(3);
      const lines = o.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/is an MCP server but not OpenPort over MCP: none of its 1 tool\(s\) carries _meta\["openport\/tool"\]/);
      const report = JSON.parse(readFileSync(join(work, 'plain', 'report.json'), 'utf8')) as { results: unknown[]; toolErrorCode: string };
      expect(report).toMatchObject({ results: [], toolErrorCode: 'OPC_E_UNREACHABLE' });
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe('the MCP journal and the reports', () => {
  it('journal the JSON-RPC messages as they went (session opens, notifications, calls), and findings show the MCP call', async () => {
    const file = join(work, 'faulty.jsonl');
    const report = await run({ binding: 'mcp', faults: ['authz-actions-no-scope'], only: ['AUTHZ-002'], seed: 7, journal: { file } });
    const r = report.results.find((x) => x.id === 'AUTHZ-002')!;
    expect(r.status).toBe('fail');
    expect(r.actual).toBe('MCP tools/call transaction.create: result common.success data.status=draft');
    expect(r.finding?.route).toBe('MCP tools/call transaction.create');
    expect(r.expected).toBe('agent.scope_denied or agent.action_unknown as an MCP refusal (an isError result, or the JSON-RPC error of a refused request)');
    // The exchange shown is the JSON-RPC request with its id and the JSON-RPC result, not an envelope.
    expect(JSON.parse(r.exchange!.request.body!)).toMatchObject({ jsonrpc: '2.0', id: expect.any(Number), method: 'tools/call', params: { name: 'transaction.create' } });
    expect(JSON.parse(r.exchange!.response.body)).toMatchObject({ jsonrpc: '2.0', result: { _meta: { 'openport/code': 'common.success' } } });
    expect(r.exchange!.request.headers.accept).toBe('application/json, text/event-stream');
    const journal = await readJournal(file);
    expect(journal.truncated).toBe(false);
    const methods = journal.entries.map((e) => (JSON.parse(e.request.body ?? '{}') as { method?: string }).method);
    expect(methods).toContain('initialize');
    expect(methods).toContain('notifications/initialized');
    expect(methods).not.toContain('notifications/cancelled');
    const cited = journal.entries.find((e) => e.seq === r.finding!.exchanges[0])!;
    expect(cited).toMatchObject({ check: 'AUTHZ-002', request: { method: 'POST', path: '/mcp', body: r.exchange!.request.body } });
    // Credentials are redacted as on HTTP: the Authorization header keeps its scheme only.
    for (const e of journal.entries) expect(e.request.headers.authorization ?? 'Bearer …').toBe('Bearer …');
    // A bundle's transcript (HAR, built from the journal) holds the same JSON-RPC messages.
    const har = harOf(journal, { name: 'openport-conform', version: 'test' });
    const entry = har.log.entries.find((e) => e._seq === r.finding!.exchanges[0])!;
    expect(entry.request).toMatchObject({ method: 'POST', postData: { text: r.exchange!.request.body } });
    expect(JSON.parse(entry.response.content.text)).toMatchObject({ jsonrpc: '2.0', result: { _meta: { 'openport/code': 'common.success' } } });
  }, 60_000);

  it('findings over MCP name the MCP call and no HTTP request or status that never happened, in every reporter', async () => {
    const report = await run({ binding: 'mcp', faults: ['mcp-hidden-tool-unknown', 'authz-actions-no-scope'], only: ['DISC-004', 'AUTHZ-001', 'AUTHZ-002'], seed: 7 });
    const failed = report.results.filter((r) => r.status === 'fail');
    expect(failed.map((r) => r.id).sort()).toEqual(['AUTHZ-001', 'AUTHZ-002', 'DISC-004']);
    expect(failed.find((r) => r.id === 'DISC-004')!.message).toMatch(/^MCP tools\/call conform\.no_such_tool \(preflight\): expected refusal agent\.action_unknown$/);
    const texts = [
      renderPretty(report, [], new Chalk({ level: 0 })),
      renderMarkdown(report),
      renderHtml(report),
      renderSarif(report),
    ];
    for (const r of failed) {
      for (const text of texts) expect(text).toContain(r.message!.slice(0, 40).replace(/"/g, ''));
    }
    for (const text of texts) {
      // No HTTP route of the agent plane was called, and a reason code has no HTTP status over MCP (E4).
      expect(text).not.toMatch(/\b(?:GET|POST) (?:preflight|actions|manifest)\b/);
      expect(text).not.toMatch(/HTTP \d{3} (?:agent|common)\./);
    }
  }, 60_000);

  it('rewords an HTTP-worded label and expectation for the MCP call that was made; other wording is kept', () => {
    const wire = (rpc: string, tool?: string) => ({ rpc, ...(tool ? { tool } : {}), request: { method: 'POST', path: '/mcp', headers: {} }, durationMs: 1 });
    expect(mcpWorded('POST preflight transaction.create with scopes [ledger.read]: expected refusal agent.scope_denied', wire('tools/call', 'transaction.create')))
      .toBe('MCP tools/call transaction.create (preflight) with scopes [ledger.read]: expected refusal agent.scope_denied');
    expect(mcpWorded('POST actions without a payload: expected refusal common.validation', wire('tools/call', 'transaction.create')))
      .toBe('MCP tools/call transaction.create without a payload: expected refusal common.validation');
    expect(mcpWorded('GET ledger.list after the first 429: expected refusal agent.rate_limited', wire('tools/call', 'ledger.list')))
      .toBe('MCP tools/call ledger.list after the first 429: expected refusal agent.rate_limited');
    // The manifest read of a revoked key is refused at the session open, and says so.
    expect(mcpWorded('GET manifest with a revoked key', wire('initialize'))).toBe('MCP initialize with a revoked key');
    expect(mcpWorded('positive control: GET manifest with the real token: expected success', wire('tools/list'))).toBe('positive control: MCP tools/list with the real token: expected success');
    // Not a request label, or a GET naming something that is not the call's tool: unchanged.
    expect(mcpWorded('ledger.list without ledger.read: expected refusal', wire('tools/call', 'ledger.list'))).toBe('ledger.list without ledger.read: expected refusal');
    expect(mcpWorded('GET something else', wire('tools/call', 'ledger.list'))).toBe('GET something else');
    expect(mcpExpectation('a draft or HTTP 429 agent.rate_limited')).toBe('a draft or agent.rate_limited as an MCP refusal');
    expect(mcpExpectation('409 agent.precondition_failed or HTTP 200 with a draft')).toBe('agent.precondition_failed as an MCP refusal or an MCP result (no isError) with a draft');
    expect(mcpExpectation('HTTP 200 data.status "draft"')).toBe('an MCP result (no isError) structuredContent.status "draft"');
    // The MCP endpoint's own HTTP statuses are real over MCP, and stay.
    expect(mcpExpectation('refused (HTTP 403)')).toBe('refused (HTTP 403)');
    // Agent-plane requests named further on are the MCP calls that carry them; a query argument is the call's argument.
    expect(mcpWorded("another tenant's key reading ledger_main with tenant hint ?orgId=: expected refusal agent.policy_denied", wire('tools/call', 'transaction.list')))
      .toBe("another tenant's key reading ledger_main with tenant hint argument orgId: expected refusal agent.policy_denied");
    expect(mcpWorded('POST /actions of a create without execute: GET /drafts/drf_1 failed for the draft\'s own key', wire('resources/read')))
      .toBe('MCP tools/call of a create without execute: MCP resources/read openport://drafts/drf_1 failed for the draft\'s own key');
    expect(mcpWorded('one allowed POST preflight transaction.create: no audit event', wire('tools/call', 'transaction.create'))).toBe('one allowed MCP tools/call transaction.create (preflight): no audit event');
  });

  it('a finding built directly (not by fail) that rests on an MCP call is worded for MCP too; one resting on the admin plane only keeps its HTTP words', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'transaction.create', arguments: {} } });
    const call: Exchange = {
      request: { method: 'POST', path: '/mcp', headers: {}, body },
      response: { status: 200, headers: {}, text: '{}', json: { ok: true, code: 'common.success', data: {} } },
      durationMs: 1,
      mcp: { rpc: 'tools/call', tool: 'transaction.create', request: { method: 'POST', path: '/mcp', headers: {}, body }, durationMs: 1 },
    };
    const admin: Exchange = { request: { method: 'GET', path: '/api/agent-admin/audit', headers: {} }, response: { status: 200, headers: {}, text: '{}', json: {} }, durationMs: 1 };
    const direct = new Finding({ message: 'POST actions transaction.create twice: GET /drafts/{id} shows two executions', expected: 'HTTP 200 data.status "executed" once', actual: 'two', exchanges: [call, admin] });
    expect([direct.message, direct.expected, direct.route]).toEqual(['MCP tools/call transaction.create twice: MCP resources/read openport://drafts/{id} shows two executions', 'an MCP result (no isError) structuredContent.status "executed" once', 'MCP tools/call transaction.create']);
    // The failing exchange is the admin plane's: its expectation stays HTTP; the agent's request named in the message is the MCP call.
    const audited = new Finding({ message: 'one allowed POST preflight transaction.create: no audit event', expected: 'HTTP 200 with an audit event', actual: 'none', exchanges: [admin, call] });
    expect([audited.message, audited.expected]).toEqual(['one allowed MCP tools/call transaction.create (preflight): no audit event', 'HTTP 200 with an audit event']);
    const http = new Finding({ message: 'one allowed POST preflight transaction.create: no audit event', expected: 'HTTP 200 with an audit event', actual: 'none', exchanges: [admin] });
    expect(http.message).toBe('one allowed POST preflight transaction.create: no audit event');
  });

  it('an isError result without a reason code is said as such, never as an HTTP 500 body', () => {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'nope', arguments: {} } });
    const answer = JSON.stringify({ jsonrpc: '2.0', id: 4, result: { isError: true, content: [{ type: 'text', text: 'Tool nope not found' }] } });
    const ex: Exchange = {
      // The envelope view the checks judge: no reason code where the mapping puts it.
      request: { method: 'POST', path: '/mcp', headers: {}, body },
      response: { status: 500, headers: { 'content-type': 'text/plain' }, text: '{}', json: undefined },
      durationMs: 1,
      mcp: { rpc: 'tools/call', tool: 'nope', request: { method: 'POST', path: '/mcp', headers: {}, body }, response: { status: 200, headers: { 'content-type': 'text/event-stream' }, text: `event: message\ndata: ${answer}\n\n` }, durationMs: 1 },
    };
    expect(describeExchange(ex)).toBe('MCP tools/call nope: isError result without a reason code "Tool nope not found"');
    const rpcError = { ...ex, mcp: { ...ex.mcp!, response: { status: 200, headers: {}, text: JSON.stringify({ jsonrpc: '2.0', id: 4, error: { code: -32602, message: 'Unknown tool: nope' } }) } } };
    expect(describeExchange(rpcError)).toBe('MCP tools/call nope: JSON-RPC error -32602 "Unknown tool: nope"');
  });

  it('bulk traffic over MCP keeps a sample of a success body, as on HTTP; a refusal stays whole', async () => {
    const file = join(work, 'bulk.jsonl');
    // ADM-001's burst runs the key into its rate limit: many successes, then 429s.
    await run({ binding: 'mcp', only: ['ADM-001'], seed: 7, journal: { file } });
    const mcp = (await readJournal(file)).entries.filter((e) => e.request.path === '/mcp' && e.check === 'ADM-001');
    const sampled = mcp.filter((e) => e.response?.elided);
    expect(sampled.length).toBeGreaterThan(0);
    for (const e of sampled) expect(e.response).toMatchObject({ status: 200, envelope: { ok: true, code: 'common.success' } });
    // A refused call: its JSON-RPC error (or isError result) carries the reason code.
    const limited = mcp.filter((e) => e.response?.body.includes('agent.rate_limited'));
    expect(limited.length).toBeGreaterThan(0);
    for (const e of limited) expect(e.response?.elided).toBeUndefined();
  }, 60_000);

  it('a refused session open is journaled as the exchange of the call it refused', async () => {
    const file = join(work, 'refused.jsonl');
    // AUTHN-001 calls with an unknown token: the session open itself is refused (401 agent.token_invalid).
    const report = await run({ binding: 'mcp', only: ['AUTHN-001'], seed: 7, journal: { file } });
    expect(report.results[0]?.status).toBe('pass');
    const journal = await readJournal(file);
    const refused = journal.entries.filter((e) => e.check === 'AUTHN-001' && e.response?.status === 401);
    expect(refused.length).toBeGreaterThan(0);
    expect(JSON.parse(refused[0]!.request.body!)).toMatchObject({ method: 'initialize' });
    expect(JSON.parse(refused[0]!.response!.body)).toMatchObject({ jsonrpc: '2.0', error: { data: { code: expect.stringMatching(/^agent\.token_/) } } });
  }, 60_000);

  it('the reproduce line of an MCP call works when pasted: it opens a session, then sends the call', async () => {
    const rt = createRuntime();
    const server = await mcpOnlyServer(rt);
    const token = rt.bootstrap.agentToken;
    try {
      const call = { method: 'POST', path: '/mcp', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}`, 'mcp-session-id': 'the-run-s-closed-session', 'mcp-protocol-version': '2025-06-18' }, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list', params: {} }) };
      const line = mcpCurlLine(call, server.url, [token], credentialVars(token));
      expect(line.includes(token)).toBe(false);
      const out = await new Promise<string>((res, rej) => execFile('bash', ['-c', line], { env: { PATH: process.env.PATH ?? '', OPENPORT_TOKEN: token } }, (e, stdout) => (e ? rej(e) : res(stdout))));
      const answer = JSON.parse(out) as { id: number; result: { tools: { _meta?: Record<string, unknown> }[] } };
      expect(answer.id).toBe(7);
      expect(answer.result.tools.length).toBeGreaterThan(0);
      expect(answer.result.tools[0]!._meta?.['openport/tool']).toBeDefined();
    } finally {
      await server.close();
      await rt.close();
    }
  }, 60_000);
});

/** `openport-conform run <url> --binding mcp` in a child process: its exit code, stderr and peak RSS. */
const mcpPeakRss = (url: string) => peakRss(['run', url, '--binding', 'mcp', '--token', 'op_hostile_key', '--timeout', '30000', '--reporter', 'json', '--out', join(work, `rss-${Date.now()}`)]);

describe('the MCP client limits (peak RSS of the CLI, not wall time)', () => {
  it.each([
    ['gzip-bomb', /response body exceeds 4 MiB \(after decompression\)/],
    ['gzip-gzip-bomb', /response body exceeds 4 MiB \(after decompression\)/],
    ['br-bomb', /response body exceeds 4 MiB \(after decompression\)/],
    ['endless-401', /response body exceeds 4 MiB/],
    ['status-999', /answered with status 999, which no final HTTP response has/],
    ['gzip-lies', /the body is not valid gzip \(incorrect header check\)/],
  ])('%s: exit 3 naming the limit it met, peak RSS ≤ 300 MB', async (name, message) => {
    const server = await startMcpHostile(name);
    try {
      const o = await mcpPeakRss(server.url);
      expect(o.code, o.stderr).toBe(3);
      expect(o.stderr).toMatch(message);
      expect(o.maxRssKiB, o.stderr).toBeLessThanOrEqual(300 * 1000);
    } finally {
      await server.close();
    }
  }, 120_000);
});
