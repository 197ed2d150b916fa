/**
 * The variant hooks themselves, driven through runtime.handle: the choices the conformance runs do not reach
 * (or cannot yet pass, created-201) and the refusal side of authors-admin, each against the default runtime.
 */
import { describe, expect, it } from 'vitest';
import { CREATE, fixture, harness } from '../runtime/helpers.js';

const WINDOW_OPEN = () => ({ enabled: true, allowed_actions: ['transaction.create'] });

describe('variant hooks', () => {
  it('authors-admin: x-admin-user alone authenticates the admin plane, its absence is 401 token_invalid', async () => {
    const h = harness({ variants: ['authors-admin'] });
    expect(h.runtime.adminHeaders).toEqual({ 'x-admin-user': 'admin_demo' });
    // The recorded request of the authors' runtime, as sent.
    const rec = fixture('admin-create-app');
    const ok = await h.call(rec.request.method, rec.request.path, { headers: rec.request.headers, body: rec.request.body });
    expect(ok.status).toBe(200);
    expect(ok.json.data.app.created_by).toBe('admin_demo');
    const refused = await h.call('GET', '/api/agent-admin/v1/apps', { headers: { authorization: 'Bearer whatever' } });
    expect([refused.status, refused.json.code]).toEqual([401, 'agent.token_invalid']);
    // The default runtime wants its bearer token: the same recorded request is refused there.
    const dflt = harness();
    expect((await dflt.call(rec.request.method, rec.request.path, { headers: rec.request.headers, body: rec.request.body })).status).toBe(401);
  });

  it('created-201: POST /apps and POST /apps/{id}/keys answer 201 with a success envelope; other admin routes stay 200', async () => {
    const h = harness({ variants: ['created-201'] });
    const app = await h.admin('POST', '/apps', { scope: 'workspace', name: 'x', scopes: ['ledger.read'] });
    expect([app.status, app.json.ok, app.json.code]).toEqual([201, true, 'common.success']);
    const key = await h.admin('POST', `/apps/${app.json.data.app.id}/keys`, {});
    expect(key.status).toBe(201);
    expect((await h.admin('POST', `/apps/${app.json.data.app.id}/revoke`, {})).status).toBe(200);
    expect((await harness().admin('POST', '/apps', { scope: 'workspace', name: 'x' })).status).toBe(200);
  });

  it('window-expiry-required: an enabled window without expires_at is 400 common.validation; a bounded one is accepted', async () => {
    const h = harness({ variants: ['window-expiry-required'] });
    const { appId } = await h.newApp();
    const refused = await h.admin('PATCH', `/apps/${appId}/auto-execute`, { writes: WINDOW_OPEN() });
    expect([refused.status, refused.json.code]).toEqual([400, 'common.validation']);
    expect(refused.json.details.issues[0].path).toEqual(['writes', 'expires_at']);
    const bounded = { ...WINDOW_OPEN(), expires_at: new Date(Date.now() + 60_000).toISOString() };
    expect((await h.admin('PATCH', `/apps/${appId}/auto-execute`, { writes: bounded })).status).toBe(200);
    // Disabling needs no end.
    expect((await h.admin('PATCH', `/apps/${appId}/auto-execute`, { writes: { enabled: false } })).status).toBe(200);
    const dflt = harness();
    expect((await dflt.admin('PATCH', `/apps/${(await dflt.newApp()).appId}/auto-execute`, { writes: WINDOW_OPEN() })).status).toBe(200);
  });

  it('past-expiry-refused: a past key expiresAt or window expires_at is 400, a future one is accepted', async () => {
    const h = harness({ variants: ['past-expiry-refused'] });
    const { appId } = await h.newApp();
    const past = new Date(Date.now() - 1000).toISOString();
    const key = await h.admin('POST', `/apps/${appId}/keys`, { expiresAt: past });
    expect([key.status, key.json.details.issues[0].path]).toEqual([400, ['expiresAt']]);
    const win = await h.admin('PATCH', `/apps/${appId}/auto-execute`, { high_risk: { ...WINDOW_OPEN(), expires_at: past } });
    expect([win.status, win.json.details.issues[0].path]).toEqual([400, ['high_risk', 'expires_at']]);
    expect((await h.admin('POST', `/apps/${appId}/keys`, { expiresAt: new Date(Date.now() + 60_000).toISOString() })).status).toBe(200);
  });

  it('expiry-utc-only: an expires_at or expiresAt with a numeric offset is 400, the same instant in "Z" is accepted', async () => {
    const h = harness({ variants: ['expiry-utc-only'] });
    const { appId } = await h.newApp();
    const later = new Date(Date.now() + 60_000).toISOString();
    const win = await h.admin('PATCH', `/apps/${appId}/auto-execute`, { writes: { ...WINDOW_OPEN(), expires_at: later.replace(/Z$/, '+00:00') } });
    expect([win.status, win.json.code, win.json.details.issues[0].path]).toEqual([400, 'common.validation', ['writes', 'expires_at']]);
    const key = await h.admin('POST', `/apps/${appId}/keys`, { expiresAt: later.replace(/Z$/, '+00:00') });
    expect([key.status, key.json.details.issues[0].path]).toEqual([400, ['expiresAt']]);
    expect((await h.admin('PATCH', `/apps/${appId}/auto-execute`, { writes: { ...WINDOW_OPEN(), expires_at: later } })).status).toBe(200);
  });

  it('preflight-id-single-use: a preflightId drafts once, then is 400 preflight_not_found', async () => {
    for (const [variants, second] of [[['preflight-id-single-use'], [400, 'agent.preflight_not_found']], [[], [200, 'common.success']]] as const) {
      const h = harness({ variants: [...variants] });
      const pf = await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } });
      const first = await h.agent('POST', '/actions', { body: { action: 'transaction.create', preflightId: pf.json.data.preflightId } });
      expect(first.json.data.status).toBe('draft');
      const again = await h.agent('POST', '/actions', { body: { action: 'transaction.create', preflightId: pf.json.data.preflightId } });
      expect([again.status, again.json.code]).toEqual(second);
    }
  });

  it('null-preflight-hash-on-create: a medium-risk draft matches fixture action-create-draft.json, a high-risk one keeps its hash', async () => {
    const h = harness({ variants: ['null-preflight-hash-on-create'] });
    const rec = fixture('action-create-draft');
    const medium = await h.agent('POST', '/actions', { body: rec.request.body });
    expect(medium.json.data.draft.preflight_hash).toBe(rec.response.body.data.draft.preflight_hash);
    expect(medium.json.data.draft.preflight_hash).toBeNull();
    const high = await h.agent('POST', '/actions', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_2' } } });
    expect(high.json.data.draft.preflight_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});
