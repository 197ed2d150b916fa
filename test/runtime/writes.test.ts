import { describe, expect, it } from 'vitest';
import { impactHash, statusFor, validateAgainst, witnessHash, type ReasonCode } from '../../src/protocol/index.js';
import { CREATE, enableAutoExecute, harness, highRiskBody, type Harness, type Res } from './helpers.js';

function refused(res: Res, code: ReasonCode) {
  expect(res.json.code, JSON.stringify(res.json)).toBe(code);
  expect(res.status).toBe(statusFor(code));
}

function deniedDraft(res: Res, code: ReasonCode) {
  expect(res.status).toBe(200);
  expect(res.json.data, JSON.stringify(res.json)).toMatchObject({ status: 'draft', autoExecuteDeniedCode: code, review_path: '/agent-admin/v1/drafts' });
}

const post = (h: Harness, body: Record<string, unknown>, token = h.token) => h.agent('POST', '/actions', { token, body });

describe('the preflight audit event', () => {
  it('records the impact with the fields reads redact replaced, and answers the impact as computed', async () => {
    const h = harness();
    const res = await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: { ...CREATE, title: 'private title' } } });
    expect(res.json.data.impact.transaction.title).toBe('private title');
    const ev = (await h.audit()).find((e) => e.action === 'agent.action.preflight');
    // The same impact, the sensitive field replaced as a read replaces it; nothing else changed.
    expect(ev.details.impact).toEqual({ ...res.json.data.impact, transaction: { ...res.json.data.impact.transaction, title: '[redacted]' } });
  });
});

describe('draft-first writes and review', () => {
  it('creates a draft, leaves the domain unchanged, and executes exactly once on approval', async () => {
    const h = harness();
    const before = await h.txns();
    const d = await post(h, { action: 'transaction.create', payload: { ...CREATE, title: 'reviewed' } });
    expect(validateAgainst('draft', d.json.data.draft)).toEqual([]);
    expect(d.json.data.draft.preflight_hash).toBe(impactHash('transaction.create', d.json.data.draft.payload,
      (await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: { ...CREATE, title: 'reviewed' } } })).json.data.impact));
    expect(await h.txns()).toEqual(before);
    const id = d.json.data.draft.id;
    expect((await h.agent('GET', `/drafts/${id}`)).json.data.execution).toBeNull();

    const a = await h.admin('POST', `/drafts/${id}/approve`, { note: 'fine' });
    expect(a.json.data.draftStatus).toBe('confirmed');
    expect(validateAgainst('execution', a.json.data.execution)).toEqual([]);
    expect((await h.txns()).filter((t) => t.title === 'reviewed')).toHaveLength(1);
    const seen = (await h.agent('GET', `/drafts/${id}`)).json.data;
    expect(seen.draft.status).toBe('confirmed');
    expect(seen.execution.id).toBe(a.json.data.execution.id);

    refused(await h.admin('POST', `/drafts/${id}/approve`, {}), 'agent.draft_already_final');
    refused(await h.admin('POST', `/drafts/${id}/reject`, {}), 'agent.draft_already_final');
    expect((await h.txns()).filter((t) => t.title === 'reviewed')).toHaveLength(1);
    const actions = (await h.audit()).filter((e) => e.draft_id === id).map((e) => e.action);
    expect(actions).toEqual(['agent.draft.read', 'agent.action.execute', 'agent.draft.approve', 'agent.draft.read', 'agent.action.draft.created']);
  });

  it('rejects: canceled, nothing runs', async () => {
    const h = harness();
    const d = await post(h, { action: 'transaction.create', payload: { ...CREATE, title: 'nope' } });
    const r = await h.admin('POST', `/drafts/${d.json.data.draft.id}/reject`, { note: 'no' });
    expect(r.json.data).toEqual({ draftStatus: 'canceled' });
    expect((await h.txns()).some((t) => t.title === 'nope')).toBe(false);
    expect((await h.admin('GET', `/drafts/${d.json.data.draft.id}`)).json.data.draft.canceled_at).not.toBeNull();
  });

  it('isolates drafts per app and 404s unknown ones', async () => {
    const h = harness();
    const d = await post(h, { action: 'transaction.create', payload: CREATE });
    const other = await h.newApp();
    const r = await h.agent('GET', `/drafts/${d.json.data.draft.id}`, { token: other.token });
    refused(r, 'agent.draft_not_found');
    expect(JSON.stringify(r.json)).not.toContain('Test expense');
    refused(await h.agent('GET', '/drafts/drf_nope'), 'agent.draft_not_found');
    refused(await h.admin('POST', '/drafts/drf_nope/approve', {}), 'agent.draft_not_found');
  });

  it('validates action bodies and payloads', async () => {
    const h = harness();
    refused(await post(h, { action: 'transaction.create' }), 'common.validation');
    const bad = await post(h, { action: 'transaction.create', payload: { ledgerId: 'ledger_main', kind: 'gift', amount_home: '3' } });
    refused(bad, 'common.validation');
    expect(bad.json.details.issues.map((i: any) => i.path.join('.'))).toEqual(['payload.kind', 'payload.title', 'payload.amount_home']);
    refused(await post(h, { action: 'transaction.update', payload: { transactionId: 'txn_1' } }), 'common.validation');
    refused(await post(h, { action: 'transaction.create', payload: CREATE, execute: 'yes' }), 'common.validation');
    refused(await post(h, { action: 'transaction.delete', payload: { transactionId: 'txn_nope' } }), 'agent.not_found');
    refused(await post(h, { action: 'transaction.create', payload: { ...CREATE, ledgerId: 'ledger_nope' } }), 'agent.not_found');
    expect(await h.drafts(h.runtime.bootstrap.appId)).toEqual([]);
  });

  it('refuses a known tool without its scopes 403 scope_denied (brief order: tool known, then scopes), and creates nothing', async () => {
    const h = harness();
    const ro = await h.newApp({ scopes: ['ledger.read', 'transaction.read'] });
    const hidden = await post(h, { action: 'transactions.export_csv', payload: { ledgerId: 'ledger_main' } }, ro.token);
    refused(hidden, 'agent.scope_denied');
    expect(hidden.json).toEqual({ ok: false, code: 'agent.scope_denied', message: 'Insufficient permissions' });
    refused(await h.agent('POST', '/preflight', { token: ro.token, body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } }), 'agent.scope_denied');
    refused(await post(h, { action: 'no.such.tool', payload: {} }, ro.token), 'agent.action_unknown');
    // The scope check comes before payload validation: an invalid payload of a hidden tool reveals no schema.
    refused(await post(h, { action: 'transaction.create', payload: {} }, ro.token), 'agent.scope_denied');
    expect(await h.drafts(ro.appId)).toEqual([]);
    const denied = (await h.audit(ro.appId)).filter((e) => e.code === 'agent.scope_denied');
    expect(denied.map((e) => [e.action, e.status])).toEqual([
      ['agent.action.request', 'denied'], ['agent.action.preflight', 'denied'], ['agent.action.request', 'denied'],
    ]);
  });

  it('checks the preflightId binding before the action: another app\'s preflightId is not found, even for a tool it cannot use', async () => {
    const h = harness();
    const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } })).json.data;
    const ro = await h.newApp({ scopes: ['ledger.read'] });
    refused(await post(h, { action: 'transaction.delete', preflightId: pf.preflightId }, ro.token), 'agent.preflight_not_found');
    const full = await h.newApp();
    refused(await post(h, { action: 'transaction.delete', preflightId: pf.preflightId }, full.token), 'agent.preflight_not_found');
    expect(await h.drafts(ro.appId)).toEqual([]);
  });

  it('hidden-tool-unknown: answers a hidden tool exactly like an unknown one, and creates nothing', async () => {
    const h = harness({ variants: ['hidden-tool-unknown'] });
    const ro = await h.newApp({ scopes: ['ledger.read', 'transaction.read'] });
    const hidden = await post(h, { action: 'transactions.export_csv', payload: { ledgerId: 'ledger_main' } }, ro.token);
    const unknown = await post(h, { action: 'no.such.tool', payload: {} }, ro.token);
    refused(hidden, 'agent.action_unknown');
    expect(hidden.json).toEqual(unknown.json);
    refused(await h.agent('POST', '/preflight', { token: ro.token, body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } }), 'agent.action_unknown');
    refused(await post(h, { action: 'ledger.list', payload: {} }), 'agent.action_unknown');
    expect(await h.drafts(ro.appId)).toEqual([]);
    expect((await h.audit(ro.appId)).filter((e) => e.code === 'agent.action_unknown').map((e) => e.status)).toEqual(['denied', 'failed', 'denied']);
  });
});

describe('auto-execution gates', () => {
  it('executes low/medium writes inside an enabled window and records both audit events', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const r = await post(h, { action: 'transaction.create', payload: CREATE, execute: true });
    expect(r.json.data).toMatchObject({ status: 'executed', draft: { status: 'confirmed' }, execution: { status: 'success' } });
    const actions = (await h.audit()).filter((e) => e.draft_id === r.json.data.draft.id).map((e) => e.action);
    expect(actions).toEqual(['agent.action.auto_execute.requested', 'agent.action.execute']);
  });

  it('refuses in gate order, each refusal a 200 draft with a denied audit event', async () => {
    let t = Date.parse('2031-05-01T00:00:00Z');
    const h = harness({ now: () => t });
    const app = h.runtime.bootstrap.appId;
    deniedDraft(await post(h, { action: 'transaction.create', payload: CREATE, execute: true }), 'agent.auto_execute_disabled');
    await h.admin('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: true, expires_at: new Date(t + 1000).toISOString(), allowed_actions: ['transaction.update'] } });
    deniedDraft(await post(h, { action: 'transaction.create', payload: CREATE, execute: true }), 'agent.auto_execute_denied');
    t += 1000;
    deniedDraft(await post(h, { action: 'transaction.create', payload: CREATE, execute: true }), 'agent.auto_execute_expired');
    // Low/medium windows never cover high risk.
    await h.admin('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: true, expires_at: null, allowed_actions: ['transaction.delete'] } });
    const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k');
    deniedDraft(await post(h, body), 'agent.auto_execute_disabled');

    await h.admin('PATCH', `/apps/${app}/auto-execute`, { high_risk: { enabled: true, allowed_actions: ['transaction.delete'] } });
    deniedDraft(await post(h, { ...body, justification: '  ' }), 'agent.action_invalid');
    deniedDraft(await post(h, { ...body, idempotencyKey: undefined }), 'agent.idempotency_required');
    deniedDraft(await post(h, { ...body, preflightHash: undefined }), 'agent.preflight_required');
    deniedDraft(await post(h, { ...body, preflightHash: '0'.repeat(64) }), 'agent.preflight_mismatch');
    deniedDraft(await post(h, { ...body, payload: { transactionId: 'txn_3' } }), 'agent.preflight_mismatch');
    // forceDraft wins over an allowing window.
    const forced = await post(h, { ...body, forceDraft: true });
    expect(forced.json.data).toMatchObject({ status: 'draft', autoExecuteDeniedCode: null });
    expect((await h.txns()).some((x) => x.id === 'txn_2')).toBe(true);

    const denials = (await h.audit(app)).filter((e) => e.action === 'agent.action.draft.created' && e.status === 'denied').map((e) => e.code);
    expect(denials.reverse()).toEqual([
      'agent.auto_execute_disabled', 'agent.auto_execute_denied', 'agent.auto_execute_expired', 'agent.auto_execute_disabled',
      'agent.action_invalid', 'agent.idempotency_required', 'agent.preflight_required', 'agent.preflight_mismatch', 'agent.preflight_mismatch',
    ]);
    const ok = await post(h, body);
    expect(ok.json.data.status).toBe('executed');
    expect((await h.txns()).some((x) => x.id === 'txn_2')).toBe(false);
  });

  it('reads an absent or null allowed_actions as "any action" in both windows, and [] as none', async () => {
    const h = harness();
    const app = h.runtime.bootstrap.appId;
    const expires_at = new Date(Date.now() + 3_600_000).toISOString();
    await h.admin('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: true, expires_at }, high_risk: { enabled: true, expires_at, allowed_actions: null } });
    expect((await post(h, { action: 'transaction.create', payload: CREATE, execute: true })).json.data.status).toBe('executed');
    const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k-any');
    expect((await post(h, body)).json.data.status).toBe('executed');

    await h.admin('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: true, expires_at, allowed_actions: [] }, high_risk: { enabled: true, expires_at, allowed_actions: [] } });
    deniedDraft(await post(h, { action: 'transaction.create', payload: CREATE, execute: true }), 'agent.auto_execute_denied');
    const none = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_3' }, h.token, 'k-none');
    deniedDraft(await post(h, none.body), 'agent.auto_execute_denied');
    expect((await h.txns()).some((t) => t.id === 'txn_3')).toBe(true);
  });

  it('absent-allowed-actions-none: a window without allowed_actions allows nothing', async () => {
    const h = harness({ variants: ['absent-allowed-actions-none'] });
    const app = h.runtime.bootstrap.appId;
    await h.admin('PATCH', `/apps/${app}/auto-execute`, { writes: { enabled: true }, high_risk: { enabled: true, allowed_actions: null } });
    deniedDraft(await post(h, { action: 'transaction.create', payload: CREATE, execute: true }), 'agent.auto_execute_denied');
    const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k');
    deniedDraft(await post(h, body), 'agent.auto_execute_denied');
  });

  it('honours require_* switches and limits exports to max_export_rows', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, {
      high_risk: { enabled: true, require_preflight: false, require_idempotency: false, max_export_rows: 2, allowed_actions: ['transactions.export_csv'] },
    });
    const r = await post(h, { action: 'transactions.export_csv', payload: { ledgerId: 'ledger_main' }, execute: true, justification: 'report' });
    expect(r.json.data.execution.result.export).toMatchObject({ format: 'csv', rows: 2 });
    expect(r.json.data.execution.result.export.csv.split('\n')).toHaveLength(3);
  });
});

describe('preflight', () => {
  it('binds the impact hash (JCS) and the State Witness hash', async () => {
    const h = harness();
    const payload = { transactionId: 'txn_1' };
    const d = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload } })).json.data;
    expect(d).toMatchObject({ action: 'transaction.delete', risk: 'high', requiresConfirmation: true });
    expect(d.impactHash).toBe(impactHash('transaction.delete', payload, d.impact));
    expect(d.stateWitness).toMatchObject({ kind: 'resource_version', resource: 'transaction', id: 'txn_1', is_deleted: false });
    expect(d.stateWitnessHash).toBe(witnessHash(d.stateWitness));
    const create = (await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } })).json.data;
    expect(create.stateWitness).toBeUndefined();
    expect(create.impactHash).toBe(impactHash('transaction.create', CREATE, create.impact));
    refused(await h.agent('POST', '/preflight', { body: { action: 'transaction.create' } }), 'common.validation');
  });

  it('lets a preflightId stand in for its payload, bound to app, key and action, for 10 minutes', async () => {
    let t = Date.parse('2031-01-01T00:00:00Z');
    const h = harness({ now: () => t });
    const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } })).json.data;
    const ok = await post(h, { action: 'transaction.create', preflightId: pf.preflightId });
    expect(ok.json.data.draft.payload).toEqual(CREATE);
    refused(await post(h, { action: 'transaction.update', preflightId: pf.preflightId }), 'agent.preflight_mismatch');
    const other = await h.newApp();
    refused(await post(h, { action: 'transaction.create', preflightId: pf.preflightId }, other.token), 'agent.preflight_not_found');
    const sameApp = (await h.admin('POST', `/apps/${h.runtime.bootstrap.appId}/keys`, {})).json.data.token;
    refused(await post(h, { action: 'transaction.create', preflightId: pf.preflightId }, sameApp), 'agent.preflight_not_found');
    refused(await post(h, { action: 'transaction.create', preflightId: 'pfl_nope' }), 'agent.preflight_not_found');
    t += 10 * 60_000;
    refused(await post(h, { action: 'transaction.create', preflightId: pf.preflightId }), 'agent.preflight_not_found');
  });
});

describe('idempotency', () => {
  it('replays an executed key, refuses a changed payload, and runs one of N concurrent requests', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const body = { action: 'transaction.create', payload: { ...CREATE, title: 'once' }, execute: true, idempotencyKey: 'idem-1' };
    const runs = await Promise.all(Array.from({ length: 16 }, () => post(h, body)));
    const ids = new Set(runs.map((r) => r.json.data.execution.id));
    expect(ids.size).toBe(1);
    expect(runs.filter((r) => r.json.data.replayed).length).toBe(15);
    expect((await h.txns()).filter((t) => t.title === 'once')).toHaveLength(1);
    const replay = await post(h, body);
    expect(replay.json.data).toMatchObject({ status: 'executed', replayed: true, code: 'agent.idempotency_replay' });
    refused(await post(h, { ...body, payload: { ...CREATE, title: 'swap' } }), 'agent.idempotency_mismatch');
    expect((await h.txns()).some((t) => t.title === 'swap')).toBe(false);
    // Keys are scoped per app.
    const other = await h.newApp();
    await enableAutoExecute(h, other.appId);
    expect((await post(h, body, other.token)).json.data.replayed).toBeUndefined();
  });
});

describe('State Witness', () => {
  async function drift(h: Harness, transactionId: string) {
    const d = await post(h, { action: 'transaction.update', payload: { transactionId, notes: 'drifted' } });
    await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
  }

  it('refuses a stale witness at creation (nothing created) and for unwitnessed tools', async () => {
    const h = harness();
    const payload = { transactionId: 'txn_2', title: 'renamed' };
    const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.update', payload } })).json.data;
    await drift(h, 'txn_2');
    const drafts = (await h.drafts(h.runtime.bootstrap.appId)).length;
    const r = await post(h, { action: 'transaction.update', payload, stateWitnessHash: pf.stateWitnessHash });
    refused(r, 'agent.precondition_failed');
    expect(r.json.details).toEqual({ reason: 'state_witness_mismatch' });
    const u = await post(h, { action: 'transaction.create', payload: CREATE, stateWitnessHash: pf.stateWitnessHash });
    expect(u.json.details).toEqual({ reason: 'state_witness_unsupported' });
    expect((await h.drafts(h.runtime.bootstrap.appId)).length).toBe(drafts);
    expect((await h.audit()).find((e) => e.code === 'agent.precondition_failed')).toMatchObject({ status: 'denied' });
  });

  it('fails closed at approval after drift, then recovers from a fresh preflight', async () => {
    const h = harness();
    const d = await post(h, { action: 'transaction.delete', payload: { transactionId: 'txn_3' } });
    await drift(h, 'txn_3');
    const a = await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
    refused(a, 'agent.precondition_failed');
    const after = (await h.admin('GET', `/drafts/${d.json.data.draft.id}`)).json.data;
    expect(after).toMatchObject({ draft: { status: 'failed' }, execution: null });
    expect((await h.txns()).some((t) => t.id === 'txn_3')).toBe(true);
    const ev = (await h.audit()).find((e) => e.draft_id === d.json.data.draft.id && e.action === 'agent.action.execute');
    expect(ev).toMatchObject({ status: 'denied', code: 'agent.precondition_failed', performed_by_user_id: 'admin' });

    const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_3' } } })).json.data;
    const fresh = await post(h, { action: 'transaction.delete', payload: { transactionId: 'txn_3' }, stateWitnessHash: pf.stateWitnessHash });
    expect((await h.admin('POST', `/drafts/${fresh.json.data.draft.id}/approve`, {})).status).toBe(200);
    expect((await h.txns()).some((t) => t.id === 'txn_3')).toBe(false);
  });

  it('lets a preflightId satisfy require_preflight with its impact hash; an explicit preflightHash must still match', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const { pf, body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k1');
    const byId = { ...body, payload: undefined, preflightHash: undefined, preflightId: pf.preflightId };
    deniedDraft(await post(h, { ...byId, preflightHash: '0'.repeat(64) }), 'agent.preflight_mismatch');
    const r = await post(h, byId);
    expect(r.json.data.status, JSON.stringify(r.json)).toBe('executed');
    expect((await h.txns()).some((t) => t.id === 'txn_2')).toBe(false);
  });

  it('preflight-id-needs-hash: a preflightId without preflightHash stays a draft with preflight_required', async () => {
    const h = harness({ variants: ['preflight-id-needs-hash'] });
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const { pf, body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k1');
    deniedDraft(await post(h, { ...body, payload: undefined, preflightHash: undefined, preflightId: pf.preflightId }), 'agent.preflight_required');
    expect((await post(h, { ...body, payload: undefined, preflightId: pf.preflightId })).json.data.status).toBe('executed');
  });

  it('refuses a witness gone stale behind a preflightId with 409, on execute and on a plain draft (nothing created)', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const { pf, body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_3' }, h.token, 'k');
    await drift(h, 'txn_3');
    const drafts = (await h.drafts(h.runtime.bootstrap.appId)).length;
    const executed = await post(h, { ...body, payload: undefined, preflightHash: undefined, preflightId: pf.preflightId });
    refused(executed, 'agent.precondition_failed');
    expect(executed.json.details).toEqual({ reason: 'state_witness_mismatch' });
    refused(await post(h, { action: 'transaction.delete', preflightId: pf.preflightId }), 'agent.precondition_failed');
    expect((await h.drafts(h.runtime.bootstrap.appId)).length).toBe(drafts);
    expect((await h.txns()).some((t) => t.id === 'txn_3')).toBe(true);
  });

  it('stale-witness-auto-draft: a witness gone stale behind a preflightId withholds the execute as a draft', async () => {
    const h = harness({ variants: ['stale-witness-auto-draft'] });
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const { pf, body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_3' }, h.token, 'k');
    await drift(h, 'txn_3');
    deniedDraft(await post(h, { ...body, payload: undefined, preflightHash: undefined, preflightId: pf.preflightId }), 'agent.precondition_failed');
    expect((await h.txns()).some((t) => t.id === 'txn_3')).toBe(true);
  });

  it('fails closed at auto-execution when the preflight witness went stale', async () => {
    const h = harness();
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const { pf, body } = await highRiskBody(h, 'transaction.hard_delete', { transactionId: 'txn_6' }, h.token, 'k');
    await drift(h, 'txn_6');
    const r = await post(h, { ...body, payload: undefined, preflightId: pf.preflightId });
    refused(r, 'agent.precondition_failed');
    expect((await h.txns()).some((t) => t.id === 'txn_6')).toBe(true);
    // The reservation of a refused run does not block a retry with a fresh preflight.
    const retry = await highRiskBody(h, 'transaction.hard_delete', { transactionId: 'txn_6' }, h.token, 'k');
    expect((await post(h, retry.body)).json.data.status).toBe('executed');
  });

  it('makes updated_at strictly increase even when the clock stands still', async () => {
    const t = Date.now();
    const h = harness({ now: () => t });
    await enableAutoExecute(h, h.runtime.bootstrap.appId);
    const created = await post(h, { action: 'transaction.create', payload: CREATE, execute: true });
    const id = created.json.data.execution.result.transaction.id;
    const before = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: id } } })).json.data.stateWitness;
    await post(h, { action: 'transaction.update', payload: { transactionId: id, title: 'x' }, execute: true });
    const after = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: id } } })).json.data.stateWitness;
    expect(Date.parse(after.updated_at)).toBe(Date.parse(before.updated_at) + 1);
  });
});
