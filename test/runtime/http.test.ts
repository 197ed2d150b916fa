import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import { SERVER_KEEP_ALIVE_MS } from '../../src/runtime/server.js';
import { CLIENT_KEEP_ALIVE } from '../../src/runner/transport.js';
import { testRuntime } from './helpers.js';
import type { Runtime, StartedServer } from '../../src/runtime/index.js';

describe('HTTP adapter', () => {
  let runtime: Runtime;
  let server: StartedServer;
  beforeAll(async () => {
    runtime = createRuntime({ bodyLimitBytes: 4096 });
    server = await startHttpServer(runtime, { host: '127.0.0.1', port: 0, bodyLimitBytes: 4096 });
  });
  afterAll(async () => {
    await server.close();
    await runtime.close();
  });
  const auth = () => ({ authorization: `Bearer ${runtime.bootstrap.agentToken}` });

  it('serves the agent plane over keep-alive with JSON content type and the socket address as client IP', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (let i = 0; i < 3; i++) {
      const r = await request(`${server.url}/api/agent/v1/ledgers`, { headers: auth() });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(((await r.body.json()) as any).data.items).toHaveLength(2);
    }
    const audit = await request(`${server.url}/api/agent-admin/v1/audit?limit=1`, { headers: runtime.adminHeaders });
    expect(((await audit.body.json()) as any).data.items[0].ip).toBe('127.0.0.1');
  });

  it('sends the bytes the runtime holds for a constant answer, and a wrapper\'s own body when it rewrote the answer', async () => {
    const direct = await runtime.handle({ method: 'GET', path: '/api/agent/v1/manifest', headers: auth(), clientIp: '127.0.0.1' });
    expect(direct.bytes?.toString('utf8')).toBe(direct.body);
    // A wrapper that copies the answer with a new body (as tests and hostile servers do) must not send the held bytes.
    const rewritten = { ...direct, body: JSON.stringify({ ok: true, code: 'common.success', data: { rewritten: true } }) };
    expect(rewritten).not.toHaveProperty('bytes');
    const wrapped = await startHttpServer({ ...runtime, handle: async (req) => ({ ...(await runtime.handle(req)), body: rewritten.body }) } as Runtime, { host: '127.0.0.1', port: 0 });
    try {
      const r = await request(`${wrapped.url}/api/agent/v1/manifest`, { headers: auth() });
      expect(await r.body.json()).toEqual({ ok: true, code: 'common.success', data: { rewritten: true } });
    } finally {
      await wrapped.close();
    }
  });

  it('keeps an idle connection far longer than the judge does, so the judge never reuses one the server is closing', async () => {
    const r = await request(`${server.url}/api/agent/v1/ledgers`, { headers: auth() });
    await r.body.dump();
    expect(r.headers['keep-alive']).toBe(`timeout=${SERVER_KEEP_ALIVE_MS / 1000}`);
    // The judge's idle limit, even if its timers ran seconds late on a loaded machine, ends long before.
    expect(CLIENT_KEEP_ALIVE.keepAliveMaxTimeout * 3).toBeLessThan(SERVER_KEEP_ALIVE_MS);
  });

  it('posts actions and answers errors with envelopes', async () => {
    const r = await request(`${server.url}/api/agent/v1/actions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'income', title: 'http', amount_home: 1 } }),
    });
    expect(r.statusCode).toBe(200);
    expect(((await r.body.json()) as any).data.status).toBe('draft');
    const bad = await request(`${server.url}/api/agent/v1/actions`, { method: 'POST', headers: auth(), body: '{nope' });
    expect(bad.statusCode).toBe(400);
    expect(((await bad.body.json()) as any).code).toBe('common.validation');
  });

  it('answers a header block over the node:http limit with a JSON envelope, not a bare 431', async () => {
    const r = await request(`${server.url}/api/agent/v1/transactions?pad=${'a'.repeat(20_000)}`, { headers: auth() });
    expect(r.statusCode).toBe(431);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(await r.body.json()).toMatchObject({ ok: false, code: 'common.validation' });
  });

  it('refuses an oversized body with 413 common.validation (drained, never a reset)', async () => {
    const r = await request(`${server.url}/api/agent/v1/actions`, { method: 'POST', headers: auth(), body: 'x'.repeat(10_000) });
    expect(r.statusCode).toBe(413);
    const body = (await r.body.json()) as any;
    expect(body.code).toBe('common.validation');
    expect(body.details.issues[0].code).toBe('too_big');
  });

  it('answers a crashed handler with a bare 500 (only a fault can make the handler crash)', async () => {
    const faulty = testRuntime({ faults: ['fuzz-crash-deep-nesting'] });
    const s = await startHttpServer(faulty, { port: 0 });
    try {
      let payload: unknown = 1;
      for (let i = 0; i < 20; i++) payload = [payload];
      const r = await request(`${s.url}/api/agent/v1/actions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${faulty.bootstrap.agentToken}` },
        body: JSON.stringify({ action: 'transaction.create', payload: { deep: payload } }),
      });
      expect(r.statusCode).toBe(500);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
      expect(await r.body.text()).toBe('Internal Server Error');
    } finally {
      await s.close();
    }
  });
});
