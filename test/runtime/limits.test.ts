// Stored state stays bounded: unknown payload fields are dropped (or refused, as a variant), the stores
// refuse writes at their caps with the documented envelope, and the drafts listing pages by app.
import { describe, expect, it } from 'vitest';
import { validateAgainst } from '../../src/protocol/schemas.js';
import { CREATE, enableAutoExecute, harness } from './helpers.js';

describe('reference runtime limits', () => {
  it('drops unknown payload fields before storing: the draft and its hash carry only the tool\'s fields', async () => {
    const h = harness();
    const plain = await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } });
    const junk = await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: { ...CREATE, junk: 'j'.repeat(10_000), nested: { a: 1 } } } });
    expect(junk.status).toBe(200);
    expect(junk.json.data.impactHash).toBe(plain.json.data.impactHash);
    const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, junk: 'j'.repeat(10_000) } } });
    expect(r.status).toBe(200);
    expect(r.json.data.draft.payload).toEqual(CREATE);
    const [stored] = await h.drafts(h.runtime.bootstrap.appId);
    expect(JSON.stringify(stored)).not.toContain('jjjj');
  });

  it('variant refuse-unknown-fields: an unknown payload field is 400 common.validation, nothing stored', async () => {
    const h = harness({ variants: ['refuse-unknown-fields'] });
    const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, junk: 1 } } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe('common.validation');
    expect(r.json.details.issues).toContainEqual(expect.objectContaining({ path: ['payload', 'junk'], code: 'unrecognized_keys' }));
    expect(await h.drafts(h.runtime.bootstrap.appId)).toEqual([]);
    expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(200);
  });

  it('at the drafts cap, finished drafts make room first; pending ones within retention never go, and the write is refused 429 storage_full', async () => {
    const h = harness({ limits: { drafts: 3 } });
    const app = h.runtime.bootstrap.appId;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).json.data.draft.id);
    const full = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
    expect(full.status).toBe(429);
    expect(full.json).toMatchObject({ ok: false, code: 'agent.rate_limited', details: { reason: 'storage_full', store: 'drafts', limit: 3 } });
    // Every draft left is pending: room comes when the oldest passes retention (24 h), not in a minute.
    expect(full.headers['retry-after']).toBe(String(24 * 60 * 60));
    expect(validateAgainst('envelope', full.json)).toEqual([]);
    expect((await h.drafts(app)).map((d) => d.id).sort()).toEqual([...ids].sort());
    // Rejecting one makes it evictable: the next write succeeds and the rejected draft is the one gone.
    await h.admin('POST', `/drafts/${ids[0]}/reject`, {});
    expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(200);
    const left = (await h.drafts(app)).map((d) => d.id);
    expect(left).not.toContain(ids[0]);
    expect(left).toEqual(expect.arrayContaining([ids[1], ids[2]]));
  });

  it('pending drafts past retention may be evicted at the cap', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const h = harness({ limits: { drafts: 2, retentionMs: 1000 }, now: () => t });
    for (let i = 0; i < 2; i++) expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(200);
    expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(429);
    t += 1001;
    expect((await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).status).toBe(200);
  });

  it('idempotency records within retention are never evicted: a replay still replays at the cap', async () => {
    const h = harness({ limits: { idempotency: 1 } });
    const app = h.runtime.bootstrap.appId;
    await enableAutoExecute(h, app);
    const body = { action: 'transaction.create', payload: CREATE, execute: true, idempotencyKey: 'k1' };
    const first = await h.agent('POST', '/actions', { body });
    expect(first.json.data.status).toBe('executed');
    const other = await h.agent('POST', '/actions', { body: { ...body, idempotencyKey: 'k2' } });
    expect(other.status).toBe(429);
    expect(other.json.details).toMatchObject({ reason: 'storage_full', store: 'idempotency records' });
    const replay = await h.agent('POST', '/actions', { body });
    expect(replay.json.data).toMatchObject({ replayed: true, execution: { id: first.json.data.execution.id } });
  });

  it('caps are per app and per tenant: one app at its cap, or one tenant at its cap, leaves another tenant writing', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const h = harness({ limits: { appDrafts: 2, tenantDrafts: 3, retentionMs: 10_000 }, now: () => t });
    const other = await h.newApp({ org_id: 'org_other' });
    const write = (token: string, ledgerId = 'ledger_main') => h.agent('POST', '/actions', { token, body: { action: 'transaction.create', payload: { ...CREATE, ledgerId } } });
    const a = await h.newApp();
    const b = await h.newApp();
    for (let i = 0; i < 2; i++) expect((await write(a.token)).status).toBe(200);
    t += 4000;
    const appFull = await write(a.token);
    expect(appFull.status).toBe(429);
    expect(appFull.json.details).toMatchObject({ reason: 'storage_full', store: 'drafts', scope: 'app', limit: 2 });
    // Room comes when app a's oldest pending draft passes retention: 10 s after it was made, 4 s ago.
    expect(appFull.headers['retry-after']).toBe('6');
    expect((await write(b.token)).status).toBe(200);
    const tenantFull = await write(b.token);
    expect(tenantFull.json.details).toMatchObject({ reason: 'storage_full', scope: 'tenant', limit: 3 });
    // The other tenant's writes are untouched by org_demo's full share.
    for (let i = 0; i < 2; i++) expect((await write(other.token, 'ledger_other')).status).toBe(200);
  });

  it('live preflights are capped per app, with Retry-After at the oldest one\'s expiry', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const h = harness({ limits: { appPreflights: 2 }, now: () => t });
    const pre = (token = h.token) => h.agent('POST', '/preflight', { token, body: { action: 'transaction.create', payload: CREATE } });
    expect((await pre()).status).toBe(200);
    t += 60_000;
    expect((await pre()).status).toBe(200);
    const full = await pre();
    expect(full.status).toBe(429);
    expect(full.json.details).toMatchObject({ reason: 'storage_full', store: 'live preflights', scope: 'app', limit: 2 });
    expect(full.headers['retry-after']).toBe('540');
    const other = await h.newApp();
    expect((await pre(other.token)).status).toBe(200);
    t += 540_000;
    expect((await pre()).status).toBe(200);
  });

  it('apps are capped too, with no Retry-After: only an operator makes room', async () => {
    const h = harness({ limits: { apps: 2 } });
    await h.newApp();
    const r = await h.admin('POST', '/apps', { scope: 'workspace', name: 'one too many' });
    expect(r.status).toBe(429);
    expect(r.json.details).toMatchObject({ reason: 'storage_full', store: 'apps' });
    expect(r.headers['retry-after']).toBeUndefined();
  });

  it('lists drafts newest first by app, a page of `limit` at a time, with a cursor', async () => {
    const h = harness();
    const a = await h.newApp();
    const b = await h.newApp();
    const mine: string[] = [];
    for (let i = 0; i < 5; i++) {
      mine.push((await h.agent('POST', '/actions', { token: a.token, body: { action: 'transaction.create', payload: CREATE } })).json.data.draft.id);
      await h.agent('POST', '/actions', { token: b.token, body: { action: 'transaction.create', payload: CREATE } });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 5; page++) {
      const r = await h.admin('GET', `/drafts?appId=${a.appId}&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.json.data.items.map((d: { id: string; app_id: string }) => (expect(d.app_id).toBe(a.appId), d.id)));
      cursor = r.json.data.nextCursor;
      if (cursor === null) break;
    }
    expect(seen).toEqual([...mine].reverse());
    await h.admin('POST', `/drafts/${mine[2]}/reject`, {});
    const canceled = await h.admin('GET', `/drafts?appId=${a.appId}&status=canceled`);
    expect(canceled.json.data).toEqual({ items: [expect.objectContaining({ id: mine[2] })], nextCursor: null });
    expect((await h.admin('GET', '/drafts?limit=0')).status).toBe(400);
    expect((await h.admin('GET', '/drafts?cursor=abc')).json.code).toBe('common.validation');
  });

  it('lists apps in creation order, a page of `limit` at a time, with a cursor that survives new apps', async () => {
    const h = harness();
    const created = [h.runtime.bootstrap.appId];
    for (let i = 0; i < 4; i++) created.push((await h.newApp()).appId);
    const first = await h.admin('GET', '/apps?limit=2');
    expect(first.json.data.items.map((a: { id: string }) => a.id)).toEqual(created.slice(0, 2));
    // An app created between two pages neither shifts the next page nor goes missing from the last one.
    created.push((await h.newApp()).appId);
    const seen = first.json.data.items.map((a: { id: string }) => a.id);
    let cursor: string | null = first.json.data.nextCursor;
    for (let page = 0; page < 5 && cursor !== null; page++) {
      const r = await h.admin('GET', `/apps?limit=2&cursor=${cursor}`);
      seen.push(...r.json.data.items.map((a: { id: string }) => a.id));
      cursor = r.json.data.nextCursor;
    }
    expect(cursor).toBeNull();
    expect(seen).toEqual(created);
    expect((await h.admin('GET', '/apps')).json.data).toMatchObject({ items: expect.any(Array), nextCursor: null });
    expect((await h.admin('GET', '/apps?limit=1001')).status).toBe(400);
    expect((await h.admin('GET', '/apps?cursor=-1')).json.code).toBe('common.validation');
  });
});
