import { describe, expect, it } from 'vitest';
import { statusFor, validateAgainst, type ReasonCode } from '../../src/protocol/index.js';
import { createRuntime } from '../../src/runtime/index.js';
import { CREATE, harness, type Res } from './helpers.js';

const DAY = 86_400_000;

function refused(res: Res, code: ReasonCode) {
  expect(res.json.code, JSON.stringify(res.json)).toBe(code);
  expect(res.status).toBe(statusFor(code));
  expect(res.json.ok).toBe(false);
  expect(validateAgainst('envelope', res.json)).toEqual([]);
  expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
}

describe('routing and envelope', () => {
  it('answers unknown routes 404 and wrong methods 405 with Allow, both agent.not_found', async () => {
    const h = harness();
    refused(await h.agent('GET', '/nope'), 'agent.not_found');
    refused(await h.call('GET', '/elsewhere'), 'agent.not_found');
    const r = await h.agent('DELETE', '/manifest');
    expect(r.status).toBe(405);
    expect(r.json.code).toBe('agent.not_found');
    expect(r.headers.allow).toBe('GET');
    expect((await h.admin('PUT', '/apps')).headers.allow).toBe('GET, POST');
  });

  it('refuses malformed, non-object, too deep and oversized bodies with common.validation issues', async () => {
    const h = harness({ bodyLimitBytes: 2048 });
    for (const rawBody of ['{"action":', '[1,2]', `${'{"a":'.repeat(70)}1${'}'.repeat(70)}`]) {
      const r = await h.agent('POST', '/actions', { rawBody });
      refused(r, 'common.validation');
      expect(validateAgainst('validation-details', r.json.details)).toEqual([]);
    }
    // Over the body cap: 413, which the registry allows for common.validation.
    const big = await h.agent('POST', '/actions', { rawBody: JSON.stringify({ action: 'x'.repeat(3000) }) });
    expect(big.status).toBe(413);
    expect(big.json).toMatchObject({ ok: false, code: 'common.validation' });
    expect(validateAgainst('validation-details', big.json.details)).toEqual([]);
  });

  it('answers an unexpected failure with a generic 500 and never throws', async () => {
    const h = harness();
    const r = await h.runtime.handle({ method: 'GET', path: undefined as unknown as string, headers: {}, clientIp: '127.0.0.1' });
    expect(r.status).toBe(statusFor('common.internal_error'));
    expect(JSON.parse(r.body)).toEqual({ ok: false, code: 'common.internal_error', message: 'Internal server error' });
  });
});

describe('authentication, in the order of brief section 6', () => {
  it('refuses missing, malformed, unknown, non-header tokens with token_invalid', async () => {
    const h = harness();
    refused(await h.agent('GET', '/manifest', { token: null }), 'agent.token_invalid');
    for (const authorization of ['Basic abc', 'Bearer', 'Bearer short', `Token ${h.token}`, `Bearer ${h.token}x!`]) {
      refused(await h.agent('GET', '/manifest', { token: null, headers: { authorization } }), 'agent.token_invalid');
    }
    refused(await h.agent('GET', `/manifest?access_token=${h.token}`, { token: null }), 'agent.token_invalid');
    refused(await h.agent('GET', '/manifest', { token: null, headers: { 'x-api-key': h.token } }), 'agent.token_invalid');
    expect((await h.agent('GET', '/manifest', { token: null, headers: { authorization: `bearer ${h.token}` } })).status).toBe(200);
  });

  it('revokes keys and apps on the very next request, and audits 401s that carried a token', async () => {
    const h = harness();
    const a = await h.newApp();
    expect((await h.agent('GET', '/ledgers', { token: a.token })).status).toBe(200);
    await h.admin('POST', `/keys/${a.keyId}/revoke`);
    refused(await h.agent('GET', '/ledgers', { token: a.token }), 'agent.token_invalid');
    const ev = (await h.audit(a.appId)).find((e) => e.code === 'agent.token_invalid')!;
    expect(ev).toMatchObject({ app_id: a.appId, key_id: a.keyId, status: 'denied', action: 'agent.ledger.list' });

    const b = await h.newApp();
    const k2 = (await h.admin('POST', `/apps/${b.appId}/keys`, { name: 'second' })).json.data.token;
    await h.admin('POST', `/apps/${b.appId}/revoke`);
    refused(await h.agent('GET', '/ledgers', { token: b.token }), 'agent.token_invalid');
    refused(await h.agent('GET', '/ledgers', { token: k2 }), 'agent.token_invalid');

    await h.agent('GET', '/ledgers', { token: `op_${'Z'.repeat(43)}` });
    const unknown = (await h.audit()).find((e) => e.app_id === null && e.code === 'agent.token_invalid');
    expect(unknown).toMatchObject({ key_id: null, status: 'denied' });
    expect(JSON.stringify(await h.audit())).not.toContain(h.token);
  });

  it('refuses an expired key with token_expired (clock-driven)', async () => {
    let t = Date.parse('2030-01-01T00:00:00Z');
    const h = harness({ now: () => t });
    const a = await h.newApp();
    const k = await h.admin('POST', `/apps/${a.appId}/keys`, { expiresAt: new Date(t + 1000).toISOString() });
    expect(k.json.data.key.expires_at).toBe(new Date(t + 1000).toISOString());
    expect((await h.agent('GET', '/manifest', { token: k.json.data.token })).status).toBe(200);
    t += 1000;
    refused(await h.agent('GET', '/manifest', { token: k.json.data.token }), 'agent.token_expired');
  });

  it('refuses a personal app without a user (no actor) with forbidden', async () => {
    const h = harness();
    const p = await h.newApp({ scope: 'personal' });
    refused(await h.agent('GET', '/manifest', { token: p.token }), 'agent.forbidden');
    const ok = await h.newApp({ scope: 'personal', user_id: 'user_1' });
    expect((await h.agent('GET', '/manifest', { token: ok.token })).status).toBe(200);
  });

  it('enforces the IP allowlist with exact IPs and IPv4 CIDRs, normalising mapped addresses', async () => {
    const h = harness();
    const a = await h.newApp();
    await h.admin('PATCH', `/apps/${a.appId}/policy`, { network: { allowed_ips: ['10.1.0.0/16', '::1', 'FD00::A'] } });
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: '10.1.200.3' })).status).toBe(200);
    // An address compares in lower case, however the allowlist or the socket writes it.
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: 'fd00::a' })).status).toBe(200);
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: 'FD00::A' })).status).toBe(200);
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: '::FFFF:10.1.0.9' })).status).toBe(200);
    refused(await h.agent('GET', '/ledgers', { token: a.token, ip: 'FD00::B' }), 'agent.policy_denied');
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: '::ffff:10.1.0.9' })).status).toBe(200);
    expect((await h.agent('GET', '/ledgers', { token: a.token, ip: '::1' })).status).toBe(200);
    refused(await h.agent('GET', '/ledgers', { token: a.token, ip: '10.2.0.1' }), 'agent.policy_denied');
    refused(await h.agent('GET', '/ledgers', { token: a.token, ip: '127.0.0.1' }), 'agent.policy_denied');
  });
});

describe('admission control', () => {
  it('refuses past the limit with 429, Retry-After and RateLimit fields, no side effects, no audit; recovers after the window', async () => {
    let t = 1_900_000_000_000;
    const h = harness({ now: () => t, rateLimit: { limit: 2, windowMs: 10_000 } });
    await h.agent('GET', '/ledgers');
    t += 2500;
    await h.agent('GET', '/ledgers');
    const before = (await h.audit()).length;
    const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
    refused(r, 'agent.rate_limited');
    expect(r.headers['retry-after']).toBe('8');
    expect(r.headers['ratelimit-policy']).toBe('"default";q=2;w=10');
    expect(r.headers.ratelimit).toBe('"default";r=0;t=8');
    expect(await h.drafts(h.runtime.bootstrap.appId)).toEqual([]);
    expect((await h.audit()).length).toBe(before);
    // Limits are per key: another key of the same client is unaffected.
    expect((await h.agent('GET', '/ledgers', { token: (await h.newApp()).token })).status).toBe(200);
    t += 7500;
    expect((await h.agent('GET', '/ledgers')).status).toBe(200);
  });
});

describe('reads, scopes, tenant and data policy', () => {
  it('lists only visible tools and refuses reads without their scope', async () => {
    const h = harness();
    const ro = await h.newApp({ scopes: ['ledger.read'] });
    expect((await h.agent('GET', '/manifest', { token: ro.token })).json.data.tools.map((t: any) => t.name)).toEqual(['ledger.list']);
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: ro.token }), 'agent.scope_denied');
    const none = await h.newApp({ scopes: [] });
    refused(await h.agent('GET', '/ledgers', { token: none.token }), 'agent.scope_denied');
    const denied = (await h.audit(ro.appId)).find((e) => e.code === 'agent.scope_denied');
    expect(denied).toMatchObject({ status: 'denied', action: 'agent.transaction.list' });
  });

  it('validates the transactions query and paginates', async () => {
    const h = harness();
    refused(await h.agent('GET', '/transactions'), 'common.validation');
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main&pageSize=201'), 'common.validation');
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main&page=0'), 'common.validation');
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main&startDate=yesterday'), 'common.validation');
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_nope'), 'agent.not_found');
    const p2 = (await h.agent('GET', '/transactions?ledgerId=ledger_main&page=2&pageSize=3')).json.data;
    expect(p2).toMatchObject({ page: 2, pageSize: 3, total: 4, hasMore: false });
    expect(p2.items).toHaveLength(1);
    const failed = (await h.audit()).find((e) => e.code === 'common.validation');
    expect(failed).toMatchObject({ status: 'failed', app_id: h.runtime.bootstrap.appId });
  });

  it('keeps tenants apart and never takes the tenant from client input', async () => {
    const h = harness();
    const other = await h.newApp({ org_id: 'org_other' });
    const r = await h.agent('GET', '/transactions?ledgerId=ledger_main&orgId=org_demo', { token: other.token, headers: { 'x-org-id': 'org_demo' } });
    refused(r, 'agent.policy_denied');
    expect(JSON.stringify(r.json)).not.toContain('Consulting payment');
    expect((await h.agent('GET', '/ledgers?orgId=org_demo', { token: other.token })).json.data.items.map((l: any) => l.id)).toEqual(['ledger_other']);
    expect((await h.txns('ledger_other', other.token)).map((t) => t.id)).toEqual(['txn_other_1']);
    const pf = await h.agent('POST', '/preflight', { token: other.token, body: { action: 'transaction.delete', payload: { transactionId: 'txn_1', orgId: 'org_other' } } });
    refused(pf, 'agent.policy_denied');
    expect(JSON.stringify(pf.json)).not.toContain('Consulting payment');
  });

  it('applies allowed_ledger_ids, allowed_org_ids, max_days and redaction', async () => {
    const h = harness();
    const a = await h.newApp();
    await h.admin('PATCH', `/apps/${a.appId}/policy`, { data: { allowed_ledger_ids: ['ledger_ops'], max_days: 30, allow_sensitive_fields: false } });
    expect((await h.agent('GET', '/ledgers', { token: a.token })).json.data.items.map((l: any) => l.id)).toEqual(['ledger_ops']);
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: a.token }), 'agent.policy_denied');
    // Default window: the last 30 days only (txn_4 is 7 days old, txn_5 75 days).
    const items = await h.txns('ledger_ops', a.token);
    expect(items.map((t) => t.id)).toEqual(['txn_4']);
    const start = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    refused(await h.agent('GET', `/transactions?ledgerId=ledger_ops&startDate=${start(45)}`, { token: a.token }), 'agent.policy_denied');
    expect((await h.agent('GET', `/transactions?ledgerId=ledger_ops&startDate=${start(29)}`, { token: a.token })).status).toBe(200);
    const end = new Date(Date.now() - 40 * DAY).toISOString();
    refused(await h.agent('GET', `/transactions?ledgerId=ledger_ops&startDate=${start(10)}&endDate=${end}`, { token: a.token }), 'agent.action_invalid');

    await h.admin('PATCH', `/apps/${a.appId}/policy`, { data: { allow_sensitive_fields: false } });
    const main = await h.txns('ledger_main', a.token);
    // Like the authors' demo domain: the title is replaced by a marker, the notes by null.
    expect(main.find((t) => t.id === 'txn_1')).toMatchObject({ title: '[redacted]', notes: null, amount_home: expect.any(Number) });
    const ev = (await h.audit(a.appId)).find((e) => e.action === 'agent.transaction.list' && e.status === 'success');
    expect(ev.details.redactedFields).toEqual(['title', 'notes']);
    expect((await h.txns()).find((t) => t.id === 'txn_1')).toMatchObject({ title: 'Consulting payment', notes: expect.stringContaining('4242') });

    await h.admin('PATCH', `/apps/${a.appId}/policy`, { data: { allowed_org_ids: ['org_elsewhere'] } });
    refused(await h.agent('GET', '/ledgers', { token: a.token }), 'agent.policy_denied');
  });

  it.each([
    ['notes-only-redaction', { title: 'Consulting payment', notes: null }, ['notes']],
    ['redaction-marker', { title: '[redacted]', notes: '[redacted]' }, ['title', 'notes']],
  ] as const)('redacts as the %s variant chooses', async (variant, row, fields) => {
    const h = harness({ variants: [variant] });
    const a = await h.newApp();
    await h.admin('PATCH', `/apps/${a.appId}/policy`, { data: { allow_sensitive_fields: false } });
    expect((await h.txns('ledger_main', a.token)).find((t) => t.id === 'txn_1')).toMatchObject(row);
    const ev = (await h.audit(a.appId)).find((e) => e.action === 'agent.transaction.list');
    expect(ev.details.redactedFields).toEqual(fields);
  });

  it('audits each allowed read once with app, key and actor', async () => {
    const h = harness();
    await h.agent('GET', '/ledgers', { headers: { 'x-request-id': 'req-1' } });
    const events = (await h.audit()).filter((e) => e.action === 'agent.ledger.list');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ status: 'success', key_id: h.runtime.bootstrap.keyId, request_id: 'req-1', ip: '127.0.0.1', user_agent: 'vitest' });
    expect(validateAgainst('audit-event', events[0])).toEqual([]);
  });

  it('bounds the in-memory audit log', async () => {
    const h = harness({ auditLimit: 5 });
    for (let i = 0; i < 8; i++) await h.agent('GET', '/ledgers');
    expect(await h.audit()).toHaveLength(5);
    expect((await h.admin('GET', '/audit?limit=2')).json.data.items).toHaveLength(2);
  });

  it('is deterministic under a seed and random without one', () => {
    expect(createRuntime({ seed: 1 }).bootstrap).toEqual(createRuntime({ seed: 1 }).bootstrap);
    expect(createRuntime().bootstrap.agentToken).not.toBe(createRuntime().bootstrap.agentToken);
  });
});
