import { describe, expect, it } from 'vitest';
import { impactHash, statusFor, validateAgainst, witnessHash, type ReasonCode } from '../../src/protocol/index.js';
import { createRuntime, DOMAIN_NAMES } from '../../src/runtime/index.js';
import { harness, type Res, type TestRuntimeOptions } from './helpers.js';

const DAY = 86_400_000;
const SCOPES = ['project.read', 'ticket.read', 'ticket.write', 'ticket.close', 'ticket.delete', 'ticket.export'];
const CREATE = { projectId: 'prj_support', subject: 'Printer on fire', requester_email: 'ann@example.com', priority: 'urgent' };

function refused(res: Res, code: ReasonCode) {
  expect(res.json.code, JSON.stringify(res.json)).toBe(code);
  expect(res.status).toBe(statusFor(code));
  expect(validateAgainst('envelope', res.json)).toEqual([]);
}

function helpdesk(opts: TestRuntimeOptions = {}) {
  const h = harness({ domain: 'helpdesk', ...opts });
  const app = (spec: Record<string, unknown> = {}) => h.newApp({ scopes: SCOPES, ...spec });
  const policy = async (appId: string, body: unknown) => h.admin('PATCH', `/apps/${appId}/policy`, body);
  const tickets = async (projectId = 'prj_support', token = h.token, extra = '') =>
    (await h.agent('GET', `/tickets?projectId=${projectId}&pageSize=200${extra}`, { token })).json.data.items as any[];
  /** Draft a write and approve it; returns the approval response. */
  const approved = async (action: string, payload: unknown, token = h.token) => {
    const d = await h.agent('POST', '/actions', { token, body: { action, payload } });
    expect(d.json.data?.status, JSON.stringify(d.json)).toBe('draft');
    return h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
  };
  const created = async () => (await approved('ticket.create', CREATE)).json.data.execution.result.ticket.id as string;
  return { ...h, app, policy, tickets, approved, created };
}

describe('domain selection', () => {
  it('serves the demo by default and the helpdesk on request; unknown names throw, listing the valid ones', async () => {
    expect(DOMAIN_NAMES).toEqual(['demo', 'helpdesk']);
    const demo = harness();
    expect(demo.runtime.domain).toBe('demo');
    expect(demo.runtime.bootstrap.orgId).toBe('org_demo');
    const h = helpdesk();
    expect(h.runtime.domain).toBe('helpdesk');
    expect(h.runtime.bootstrap.orgId).toBe('org_helpdesk');
    const manifest = (await h.agent('GET', '/manifest')).json.data;
    expect(manifest.app.orgId).toBe('org_helpdesk');
    expect(manifest.tools.map((t: any) => t.name)).toEqual(['project.list', 'ticket.list', 'ticket.create', 'ticket.comment', 'ticket.update', 'ticket.close', 'ticket.delete', 'ticket.export', 'ticket.reassign_all']);
    refused(await h.agent('GET', '/ledgers'), 'agent.not_found');
    refused(await h.agent('GET', '/transactions?ledgerId=ledger_main'), 'agent.not_found');
    expect(() => createRuntime({ domain: 'crm' as never })).toThrow(/"crm".*demo, helpdesk/);
  });

  it('creates new apps in the domain tenant and knows only the domain scopes', async () => {
    const h = helpdesk();
    const r = await h.admin('POST', '/apps', { scope: 'workspace', name: 'x', scopes: ['ticket.read'] });
    expect(r.json.data.app.org_id).toBe('org_helpdesk');
    const bad = await h.admin('POST', '/apps', { scope: 'workspace', name: 'x', scopes: ['transaction.read'] });
    refused(bad, 'common.validation');
    expect(bad.json.details.issues[0].message).toContain('project.read, ticket.read, ticket.write, ticket.close');
  });
});

describe('helpdesk reads', () => {
  it('lists the tenant projects and a project tickets, newest first, paged', async () => {
    const h = helpdesk();
    expect((await h.agent('GET', '/projects')).json.data.items.map((p: any) => p.id)).toEqual(['prj_support', 'prj_billing']);
    const all = await h.tickets();
    expect(all.map((t) => t.id)).toEqual(['tkt_1001', 'tkt_1002', 'tkt_1003', 'tkt_1006']);
    expect(all[0]).toMatchObject({ project_id: 'prj_support', subject: 'Cannot reset password', status: 'open', version: 1, requester_email: 'dana.reyes@example.com' });
    const page = (await h.agent('GET', '/tickets?projectId=prj_support&page=2&pageSize=3')).json.data;
    expect(page).toMatchObject({ total: 4, page: 2, pageSize: 3, hasMore: false });
    expect(page.items.map((t: any) => t.id)).toEqual(['tkt_1006']);
    refused(await h.agent('GET', '/tickets'), 'common.validation');
    const missing = await h.agent('GET', '/tickets?projectId=prj_nope');
    refused(missing, 'agent.not_found');
    expect(missing.json.message).toBe('Project not found');
  });

  it('windows tickets by opened_at with openedFrom/openedTo, and max_days bounds that window', async () => {
    const h = helpdesk();
    const at = (days: number) => new Date(Date.now() - days * DAY).toISOString();
    expect((await h.tickets('prj_support', h.token, `&openedFrom=${at(50)}&openedTo=${at(10)}`)).map((t) => t.id)).toEqual(['tkt_1002', 'tkt_1003']);
    // The demo's parameter names mean nothing here.
    expect(await h.tickets('prj_support', h.token, `&startDate=${at(5)}`)).toHaveLength(4);
    refused(await h.agent('GET', '/tickets?projectId=prj_support&openedFrom=yesterday'), 'common.validation');
    const reversed = await h.agent('GET', `/tickets?projectId=prj_support&openedFrom=${at(5)}&openedTo=${at(10)}`);
    refused(reversed, 'agent.action_invalid');
    expect(reversed.json.message).toBe('openedFrom is after openedTo');

    const a = await h.app();
    expect((await h.policy(a.appId, { data: { max_days: 30 } })).status).toBe(200);
    // Default window: the last 30 days of opened_at (tkt_1003 is 45 days old, tkt_1006 100).
    expect((await h.tickets('prj_support', a.token)).map((t) => t.id)).toEqual(['tkt_1001', 'tkt_1002']);
    refused(await h.agent('GET', `/tickets?projectId=prj_support&openedFrom=${at(45)}`, { token: a.token }), 'agent.policy_denied');
    expect((await h.agent('GET', `/tickets?projectId=prj_support&openedFrom=${at(29)}`, { token: a.token })).status).toBe(200);
    const ev = (await h.audit(a.appId)).find((e) => e.action === 'agent.ticket.list' && e.details.openedFrom);
    expect(ev.details).toMatchObject({ projectId: 'prj_support', openedFrom: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), openedTo: null });
    expect(ev.details).not.toHaveProperty('startDate');
  });

  it('allow-lists containers with allowed_project_ids, and refuses the demo field name', async () => {
    const h = helpdesk();
    const a = await h.app();
    const wrong = await h.policy(a.appId, { data: { allowed_ledger_ids: ['prj_billing'] } });
    refused(wrong, 'common.validation');
    expect(wrong.json.details.issues).toEqual([expect.objectContaining({ path: ['data', 'allowed_ledger_ids'], code: 'unrecognized_keys' })]);

    const ok = await h.policy(a.appId, { data: { allowed_project_ids: ['prj_billing'] } });
    expect(ok.json.data.policy).toEqual({ data: { allowed_project_ids: ['prj_billing'] } });
    expect((await h.agent('GET', '/projects', { token: a.token })).json.data.items.map((p: any) => p.id)).toEqual(['prj_billing']);
    const denied = await h.agent('GET', '/tickets?projectId=prj_support', { token: a.token });
    refused(denied, 'agent.policy_denied');
    expect(denied.json.message).toBe('Project is not allowed by data policy');
    expect((await h.tickets('prj_billing', a.token)).map((t) => t.id)).toEqual(['tkt_1004', 'tkt_1005', 'tkt_1007']);
    refused(await h.agent('POST', '/preflight', { token: a.token, body: { action: 'ticket.close', payload: { ticketId: 'tkt_1001', resolution: 'solved' } } }), 'agent.policy_denied');
    expect((await h.agent('POST', '/preflight', { token: a.token, body: { action: 'ticket.close', payload: { ticketId: 'tkt_1004', resolution: 'solved' } } })).status).toBe(200);
    const ev = (await h.audit(a.appId)).find((e) => e.action === 'agent.ticket.list' && e.status === 'success');
    expect(ev.details.policy).toEqual({ allowedProjectIds: ['prj_billing'], allowedOrgIds: null, maxDays: null, allowSensitiveFields: true });
  });

  it('redacts requester_email and requester_phone with allow_sensitive_fields false, and keeps them out of impacts', async () => {
    const h = helpdesk();
    const a = await h.app();
    await h.policy(a.appId, { data: { allow_sensitive_fields: false } });
    const rows = await h.tickets('prj_support', a.token);
    expect(rows.find((t) => t.id === 'tkt_1001')).toMatchObject({ requester_email: null, requester_phone: null, subject: 'Cannot reset password' });
    expect(JSON.stringify(rows)).not.toContain('@example');
    const ev = (await h.audit(a.appId)).find((e) => e.action === 'agent.ticket.list' && e.status === 'success');
    expect(ev.details.redactedFields).toEqual(['requester_email', 'requester_phone']);
    expect((await h.tickets()).find((t) => t.id === 'tkt_1001')).toMatchObject({ requester_email: 'dana.reyes@example.com', requester_phone: '+1-555-0142' });
    const pf = await h.agent('POST', '/preflight', { body: { action: 'ticket.create', payload: { ...CREATE, requester_phone: '+1-555-0000' } } });
    expect(pf.status).toBe(200);
    expect(JSON.stringify(pf.json.data.impact)).not.toMatch(/ann@example\.com|555-0000/);
  });

  it('keeps the demo audit policy key (allowedLedgerIds) on the demo domain', async () => {
    const h = harness();
    await h.agent('GET', '/transactions?ledgerId=ledger_main');
    const ev = (await h.audit()).find((e) => e.action === 'agent.transaction.list');
    expect(Object.keys(ev.details.policy)).toEqual(['allowedLedgerIds', 'allowedOrgIds', 'maxDays', 'allowSensitiveFields']);
  });
});

describe('helpdesk writes', () => {
  it('closes a ticket (a status change, not a delete): preflight impact and witness, draft, approval', async () => {
    const h = helpdesk();
    const id = await h.created();
    const payload = { ticketId: id, resolution: 'solved' };
    const pf = (await h.agent('POST', '/preflight', { body: { action: 'ticket.close', payload } })).json.data;
    expect(pf).toMatchObject({ action: 'ticket.close', risk: 'high', requiresConfirmation: true });
    expect(pf.impact.ticket).toEqual({ id, project_id: 'prj_support', subject: 'Printer on fire', status: 'open', priority: 'urgent', assignee: 'agt_maya' });
    expect(pf.impactHash).toBe(impactHash('ticket.close', payload, pf.impact));
    expect(pf.stateWitness).toEqual({ kind: 'resource_version', resource: 'ticket', id, project_id: 'prj_support', version: 1, status: 'open' });
    expect(pf.stateWitnessHash).toBe(witnessHash(pf.stateWitness));

    const ap = await h.approved('ticket.close', payload);
    expect(ap.json.data.execution).toMatchObject({ status: 'success', result: { ticket: { id, status: 'closed', resolution: 'solved', version: 2 } } });
    const row = (await h.tickets()).find((t) => t.id === id);
    expect(row).toMatchObject({ status: 'closed', version: 2, closed_at: expect.any(String) });
    const gone = await h.agent('POST', '/preflight', { body: { action: 'ticket.close', payload } });
    expect(gone.json.data.stateWitness).toMatchObject({ version: 2, status: 'closed' });

    const again = await h.approved('ticket.close', payload);
    refused(again, 'agent.action_invalid');
    expect(again.json.message).toBe('Ticket is already closed');
  });

  it('deletes a ticket for good, its preflight impact the current fields without contact details, and exports a project bounded by max_export_rows', async () => {
    const h = helpdesk();
    const id = await h.created();
    const row = (await h.tickets()).find((t) => t.id === id);
    const payload = { ticketId: id, reason: 'opened by mistake' };
    const pf = (await h.agent('POST', '/preflight', { body: { action: 'ticket.delete', payload } })).json.data;
    expect(pf).toMatchObject({ action: 'ticket.delete', risk: 'high', requiresConfirmation: true, stateWitness: { id, version: 1 } });
    const { requester_email: _e, requester_phone: _p, ...fields } = row;
    expect(pf.impact.ticket).toEqual(fields);
    const ap = await h.approved('ticket.delete', payload);
    expect(ap.json.data.execution).toMatchObject({ status: 'success', result: { deleted: { id, permanent: true } } });
    expect((await h.tickets()).find((t) => t.id === id)).toBeUndefined();

    const a = await h.app({ scopes: ['ticket.read', 'ticket.export'] });
    await h.admin('PATCH', `/apps/${a.appId}/auto-execute`, { high_risk: { enabled: true, expires_at: null, max_export_rows: 2, allowed_actions: ['ticket.export'] } });
    const exp = { projectId: 'prj_support' };
    const epf = (await h.agent('POST', '/preflight', { token: a.token, body: { action: 'ticket.export', payload: exp } })).json.data;
    expect(epf.impact).toMatchObject({ rows: 4 });
    const run = await h.agent('POST', '/actions', { token: a.token, body: { action: 'ticket.export', payload: exp, execute: true, justification: 'audit', idempotencyKey: 'exp-1', preflightHash: epf.impactHash } });
    const out = run.json.data.execution.result.export;
    expect(out).toMatchObject({ format: 'csv', project_id: 'prj_support', rowCount: 2 });
    expect(out.csv.split('\n')).toHaveLength(3);
    expect(out.csv).not.toContain('@example');
  });

  it('fails closed when the ticket changed between draft and approval (State Witness on version)', async () => {
    const h = helpdesk();
    const id = await h.created();
    const d = await h.agent('POST', '/actions', { body: { action: 'ticket.close', payload: { ticketId: id, resolution: 'duplicate' } } });
    expect((await h.approved('ticket.update', { ticketId: id, tags: ['vip'] })).status).toBe(200);
    const stale = await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
    refused(stale, 'agent.precondition_failed');
    expect(stale.json.details.reason).toBe('state_witness_mismatch');
    expect((await h.tickets()).find((t) => t.id === id)).toMatchObject({ status: 'open', tags: ['vip'], version: 2 });
  });

  it('shares ticket.write between create, comment, update and the high-risk reassign_all; close needs ticket.close too', async () => {
    const h = helpdesk();
    const writer = await h.app({ scopes: ['ticket.read', 'ticket.write'] });
    const tools = (await h.agent('GET', '/manifest', { token: writer.token })).json.data.tools.map((t: any) => t.name);
    expect(tools).toEqual(['ticket.list', 'ticket.create', 'ticket.comment', 'ticket.update', 'ticket.reassign_all']);
    const id = await h.created();
    const c = await h.approved('ticket.comment', { ticketId: id, body: 'Looking into it' }, writer.token);
    expect(c.json.data.execution.result.comment).toMatchObject({ ticket_id: id, body: 'Looking into it', internal: false });
    expect((await h.tickets()).find((t) => t.id === id)).toMatchObject({ comment_count: 1, version: 2 });

    const move = { projectId: 'prj_support', fromAssignee: 'agt_maya', toAssignee: 'agt_jon' };
    const pf = await h.agent('POST', '/preflight', { token: writer.token, body: { action: 'ticket.reassign_all', payload: move } });
    expect(pf.json.data).toMatchObject({ risk: 'high', impact: { ticketIds: [id, 'tkt_1001', 'tkt_1002'].sort() } });
    const r = await h.approved('ticket.reassign_all', move, writer.token);
    expect(r.json.data.execution.result.reassigned.count).toBe(3);
    expect((await h.tickets()).filter((t) => t.assignee === 'agt_maya')).toEqual([]);

    const close = await h.agent('POST', '/preflight', { token: writer.token, body: { action: 'ticket.close', payload: { ticketId: id, resolution: 'solved' } } });
    expect(close.status).toBeGreaterThanOrEqual(400);
    expect(['agent.action_unknown', 'agent.scope_denied']).toContain(close.json.code);
    refused(await h.agent('POST', '/preflight', { token: writer.token, body: { action: 'ticket.comment', payload: { ticketId: id } } }), 'common.validation');
  });

  it('refuses comments on a closed ticket at execution, and validates payloads', async () => {
    const h = helpdesk();
    const id = await h.created();
    await h.approved('ticket.close', { ticketId: id, resolution: 'wont_fix' });
    refused(await h.approved('ticket.comment', { ticketId: id, body: 'too late' }), 'agent.action_invalid');
    const bad = await h.agent('POST', '/preflight', { body: { action: 'ticket.create', payload: { projectId: 'prj_support', subject: '', requester_email: 'nobody' } } });
    refused(bad, 'common.validation');
    expect(bad.json.details.issues.map((i: any) => i.path.join('.')).sort()).toEqual(['payload.requester_email', 'payload.subject']);
    refused(await h.agent('POST', '/preflight', { body: { action: 'ticket.close', payload: { ticketId: id } } }), 'common.validation');
  });
});

describe('helpdesk tenant boundary', () => {
  it('keeps org_helpdesk apps out of org_globex projects and tickets, and the other way round', async () => {
    const h = helpdesk();
    const read = await h.agent('GET', '/tickets?projectId=prj_globex_it');
    refused(read, 'agent.policy_denied');
    expect(JSON.stringify(read.json)).not.toContain('VPN certificate');
    const pf = await h.agent('POST', '/preflight', { body: { action: 'ticket.close', payload: { ticketId: 'tkt_2001', resolution: 'solved' } } });
    refused(pf, 'agent.policy_denied');
    expect(JSON.stringify(pf.json)).not.toContain('VPN certificate');

    const globex = await h.app({ org_id: 'org_globex' });
    expect((await h.agent('GET', '/projects', { token: globex.token })).json.data.items.map((p: any) => p.id)).toEqual(['prj_globex_it']);
    expect((await h.tickets('prj_globex_it', globex.token)).map((t) => t.id)).toEqual(['tkt_2001']);
    const spoofed = await h.agent('GET', '/tickets?projectId=prj_support&orgId=org_helpdesk', { token: globex.token, headers: { 'x-org-id': 'org_helpdesk' } });
    refused(spoofed, 'agent.policy_denied');
    expect(JSON.stringify(spoofed.json)).not.toContain('Cannot reset password');
  });
});

/** The runtime faults whose defect lives in domain data, observed on the helpdesk: absent clean, live injected. */
const PROBES: Record<string, (h: ReturnType<typeof helpdesk>) => Promise<boolean>> = {
  'abac-ledger-ignored': async (h) => {
    const a = await h.app();
    await h.policy(a.appId, { data: { allowed_project_ids: ['prj_billing'] } });
    return (await h.agent('GET', '/tickets?projectId=prj_support', { token: a.token })).status === 200;
  },
  'abac-max-days-ignored': async (h) => {
    const a = await h.app();
    await h.policy(a.appId, { data: { max_days: 30 } });
    return (await h.tickets('prj_support', a.token)).some((t) => t.id === 'tkt_1006');
  },
  'abac-no-redaction': async (h) => {
    const a = await h.app();
    await h.policy(a.appId, { data: { allow_sensitive_fields: false } });
    return (await h.tickets('prj_support', a.token)).some((t) => t.requester_email !== null);
  },
  'authz-read-no-scope': async (h) => {
    const a = await h.app({ scopes: ['project.read'] });
    return (await h.agent('GET', '/tickets?projectId=prj_support', { token: a.token })).status === 200;
  },
  'authz-partial-scopes': async (h) => {
    const a = await h.app({ scopes: ['ticket.write'] });
    return (await h.agent('POST', '/preflight', { token: a.token, body: { action: 'ticket.close', payload: { ticketId: 'tkt_1001', resolution: 'solved' } } })).status === 200;
  },
  'tenant-cross-read': async (h) => (await h.agent('GET', '/tickets?projectId=prj_globex_it')).status === 200,
  'tenant-preflight-leak': async (h) =>
    JSON.stringify((await h.agent('POST', '/preflight', { body: { action: 'ticket.close', payload: { ticketId: 'tkt_2001', resolution: 'solved' } } })).json).includes('VPN certificate'),
  'witness-skip-on-approve': async (h) => {
    const id = await h.created();
    const d = await h.agent('POST', '/actions', { body: { action: 'ticket.close', payload: { ticketId: id, resolution: 'solved' } } });
    await h.approved('ticket.update', { ticketId: id, tags: ['drift'] });
    return (await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {})).status === 200;
  },
};

describe.each(Object.keys(PROBES))('fault %s on the helpdesk domain', (name) => {
  it('is absent from the clean runtime', async () => {
    expect(await PROBES[name]!(helpdesk())).toBe(false);
  });
  it('is live when injected', async () => {
    expect(await PROBES[name]!(helpdesk({ faults: [name] }))).toBe(true);
  });
});
