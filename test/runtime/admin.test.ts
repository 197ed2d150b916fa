import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { statusFor } from '../../src/protocol/index.js';
import { CREATE, harness } from './helpers.js';

describe('admin plane', () => {
  it('requires the admin bearer token (scheme in any case); the bearer is the admin attributed, whatever x-admin-user says', async () => {
    const h = harness({ adminToken: 'adm_test_secret' });
    expect(h.runtime.adminHeaders).toEqual({ authorization: 'Bearer adm_test_secret' });
    for (const headers of [{}, { 'x-admin-user': 'root' }, { authorization: 'Bearer adm_wrong' }] as Record<string, string>[]) {
      const r = await h.call('GET', '/api/agent-admin/v1/apps', { headers });
      expect(r.status).toBe(statusFor('agent.token_invalid'));
      expect(r.json.code).toBe('agent.token_invalid');
    }
    // The agent token is no admin token.
    expect((await h.call('GET', '/api/agent-admin/v1/apps', { token: h.token })).status).toBe(401);
    const created = await h.admin('POST', '/apps', { scope: 'workspace', name: 'x' }, { 'x-admin-user': 'alice' });
    // A header the caller chooses is no identity: attribution comes from the credential alone.
    expect(created.json.data.app).toMatchObject({ created_by: 'admin', org_id: 'org_demo', scopes: [], service_user_id: `svc_${created.json.data.app.id.slice(4)}` });
    const ev = (await h.audit(created.json.data.app.id)).map((e) => [e.action, e.performed_by_user_id]);
    expect(ev).toEqual([['agent_key.create', 'admin'], ['agent_app.create', 'admin']]);
    for (const scheme of ['bearer', 'BEARER']) {
      expect((await h.call('GET', '/api/agent-admin/v1/apps', { headers: { authorization: `${scheme} adm_test_secret` } })).status).toBe(200);
    }
  });

  it('validates app creation, policy and auto-execute bodies', async () => {
    const h = harness();
    const bad = async (method: string, path: string, body: unknown) => {
      const r = await h.admin(method, path, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.json.code).toBe('common.validation');
      expect(r.json.details.issues.length).toBeGreaterThan(0);
    };
    await bad('POST', '/apps', { name: 'x' });
    await bad('POST', '/apps', { scope: 'workspace', name: '' });
    await bad('POST', '/apps', { scope: 'workspace', name: 'x', scopes: ['root'] });
    const app = h.runtime.bootstrap.appId;
    await bad('PATCH', `/apps/${app}/policy`, { network: { allowed_ips: ['not-an-ip'] } });
    await bad('PATCH', `/apps/${app}/policy`, { data: { max_days: 0 } });
    await bad('PATCH', `/apps/${app}/policy`, { dat: {} });
    await bad('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: 'yes' } });
    await bad('PATCH', `/apps/${app}/auto-execute`, { high_risk: { max_export_rows: -1 } });
    await bad('PATCH', `/apps/${app}/auto-execute`, { writes: { allowed_actions: ['transaction.nuke'] } });
    await bad('POST', `/apps/${app}/keys`, { expiresAt: 'tomorrow' });
    await bad('GET', '/audit?limit=5000', undefined);
    await bad('GET', '/drafts?status=pending', undefined);
    expect((await h.admin('PATCH', '/apps/app_nope/policy', {})).json.code).toBe('agent.not_found');
  });

  it('manages policy, auto-execute, keys, tools, drafts and audit', async () => {
    const h = harness();
    const a = await h.newApp({ scopes: ['ledger.read', 'transaction.write'] });
    const policy = { network: { allowed_ips: ['127.0.0.1'] }, data: { allowed_ledger_ids: ['ledger_main'], max_days: 90, allow_sensitive_fields: false } };
    expect((await h.admin('PATCH', `/apps/${a.appId}/policy`, policy)).json.data).toEqual({ ok: true, policy });
    const auto = await h.admin('PATCH', `/apps/${a.appId}/auto-execute`, { high_risk: { enabled: true } });
    expect(auto.json.data.auto_execute).toEqual({
      high_risk: { enabled: true, expires_at: null, require_preflight: true, require_idempotency: true, max_export_rows: 1000, allowed_actions: null },
    });
    const tools = (await h.admin('GET', `/apps/${a.appId}/tools`)).json.data.tools.map((t: any) => t.name);
    expect(tools).toEqual(['ledger.list', 'transaction.create', 'transaction.update']);

    const k = await h.admin('POST', `/apps/${a.appId}/keys`, { name: 'ci' });
    expect(k.json.data.key).toMatchObject({ name: 'ci', app_id: a.appId, token_prefix: k.json.data.token.slice(0, 12), revoked_at: null });
    const revoked = await h.admin('POST', `/keys/${k.json.data.key.id}/revoke`);
    expect(revoked.json.data.key.revoked_at).not.toBeNull();
    expect(JSON.stringify(revoked.json)).not.toContain(k.json.data.token);
    expect((await h.admin('POST', '/keys/key_nope/revoke')).json.code).toBe('agent.not_found');

    const d1 = await h.agent('POST', '/actions', { token: a.token, body: { action: 'transaction.create', payload: CREATE } });
    const d2 = await h.agent('POST', '/actions', { token: a.token, body: { action: 'transaction.create', payload: CREATE } });
    await h.admin('POST', `/drafts/${d1.json.data.draft.id}/reject`, {});
    const listed = (await h.admin('GET', `/drafts?appId=${a.appId}&status=draft`)).json.data.items;
    expect(listed.map((d: any) => d.id)).toEqual([d2.json.data.draft.id]);
    expect((await h.admin('GET', `/drafts?appId=${a.appId}`)).json.data.items).toHaveLength(2);

    const revokedApp = await h.admin('POST', `/apps/${a.appId}/revoke`);
    expect(revokedApp.json.data.app.status).toBe('revoked');
    const actions = (await h.audit(a.appId)).map((e) => e.action);
    for (const want of ['agent_app.create', 'agent_key.create', 'agent_app.policy.update', 'agent_app.auto_execute.update', 'agent_key.revoke', 'agent.draft.reject', 'agent_app.revoke']) {
      expect(actions).toContain(want);
    }
    expect((await h.admin('GET', '/apps')).json.data.items.length).toBe(2);
    expect((await h.call('GET', '/healthz')).json).toEqual({ ok: true, code: 'common.success', data: { status: 'ok' } });
  });

  it("revoking an app revokes every key of it at that moment, and no other app's key", async () => {
    let t = Date.parse('2026-01-02T05:00:00.000Z');
    const h = harness({ now: () => t });
    const a = await h.newApp();
    const other = await h.newApp();
    const second = (await h.admin('POST', `/apps/${a.appId}/keys`, { name: 'second' })).json.data.key.id as string;
    expect((await h.admin('POST', `/apps/${a.appId}/revoke`)).status).toBe(200);
    const at = new Date(t).toISOString();
    t += 86_400_000;
    // Revoking a revoked key again shows when it was revoked: with the app, a day ago.
    for (const keyId of [a.keyId, second]) expect((await h.admin('POST', `/keys/${keyId}/revoke`)).json.data.key.revoked_at).toBe(at);
    expect((await h.agent('GET', '/manifest', { token: other.token })).status).toBe(200);
  });

  it('issues no key on a revoked app (404 agent.not_found, like the authors), unless revoked-app-issues-keys', async () => {
    const h = harness();
    const a = await h.newApp();
    await h.admin('POST', `/apps/${a.appId}/revoke`);
    const before = (await h.audit(a.appId)).length;
    const k = await h.admin('POST', `/apps/${a.appId}/keys`, { name: 'late' });
    expect(k.status).toBe(404);
    expect(k.json).toMatchObject({ ok: false, code: 'agent.not_found' });
    expect((await h.audit(a.appId)).length).toBe(before);

    const v = harness({ variants: ['revoked-app-issues-keys'] });
    const b = await v.newApp();
    await v.admin('POST', `/apps/${b.appId}/revoke`);
    const issued = await v.admin('POST', `/apps/${b.appId}/keys`, { name: 'late' });
    expect(issued.status).toBe(200);
    // The key is useless: its app is not active (brief section 6 step 4).
    expect((await v.agent('GET', '/manifest', { token: issued.json.data.token })).json.code).toBe('agent.token_invalid');
  });

  it('echoes an absent allowed_actions as null (no restriction), or [] under absent-allowed-actions-none', async () => {
    for (const [variants, want] of [[[], null], [['absent-allowed-actions-none'], []]] as const) {
      const h = harness({ variants: [...variants] });
      const body = { writes: { enabled: true }, high_risk: { enabled: true, allowed_actions: null } };
      const r = await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, body);
      expect(r.json.data.auto_execute.writes.allowed_actions).toEqual(want);
      expect(r.json.data.auto_execute.high_risk.allowed_actions).toEqual(want);
      // An explicit list is stored as given in either case.
      const listed = await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, { writes: { enabled: true, allowed_actions: [] } });
      expect(listed.json.data.auto_execute.writes.allowed_actions).toEqual([]);
    }
  });

  it('appends every audit event to the audit file, in order, without tokens', async () => {
    const file = join(tmpdir(), `openport-audit-${process.pid}-${Date.now()}.jsonl`);
    try {
      const h = harness({ auditFile: file });
      for (let i = 0; i < 5; i++) await h.agent('GET', '/ledgers');
      await h.agent('GET', '/manifest', { token: `op_${'q'.repeat(43)}` });
      const inMemory = (await h.audit()).reverse();
      await h.runtime.close();
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines).toEqual(inMemory);
      expect(readFileSync(file, 'utf8')).not.toContain(h.token);
    } finally {
      rmSync(file, { force: true });
    }
  });
});
