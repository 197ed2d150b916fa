import { describe, expect, it } from 'vitest';
import { hasRequirement, impactHash, witnessHash } from '../../src/protocol/index.js';
import { FAULTS, createRuntime, faultClauses, faultRequirements, listFaults } from '../../src/runtime/index.js';
import type { RuntimeOptions } from '../../src/runtime/index.js';
import { CREATE, enableAutoExecute, harness, highRiskBody, type Harness } from './helpers.js';

const DAY = 86_400_000;

/** Changes txn's version (notes only) through a reviewed update, so its State Witness drifts. */
async function drift(h: Harness, transactionId: string) {
  const d = await h.agent('POST', '/actions', { body: { action: 'transaction.update', payload: { transactionId, notes: 'drifted' } } });
  const a = await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
  if (a.status !== 200) throw new Error(JSON.stringify(a.json));
}

async function readonlyApp(h: Harness) {
  return h.newApp({ scopes: ['ledger.read'] });
}

async function withPolicy(h: Harness, policy: unknown) {
  const app = await h.newApp();
  const r = await h.admin('PATCH', `/apps/${app.appId}/policy`, policy);
  if (r.status !== 200) throw new Error(JSON.stringify(r.json));
  return app;
}

async function executedCreate(h: Harness, body: Record<string, unknown>) {
  const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, execute: true, ...body } });
  return r.json.data?.status === 'executed';
}

/** Whether a key that expired `agoMs` ago is still admitted. */
async function expiredKeyWorks(h: Harness, agoMs: number) {
  const app = await h.newApp();
  const k = await h.admin('POST', `/apps/${app.appId}/keys`, { expiresAt: new Date(Date.now() - agoMs).toISOString() });
  return (await h.agent('GET', '/manifest', { token: k.json.data.token })).status === 200;
}

/** Whether a fully prepared high-risk execute (a delete of txn_2) runs at once. */
async function highRiskDeleteExecutes(h: Harness) {
  const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k1');
  return (await h.agent('POST', '/actions', { body })).json.data.status === 'executed';
}

/** The data of a preflight of a create. */
async function preflightData(h: Harness) {
  return (await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } })).json.data;
}

/** The data of an auto-execute refusal (the bootstrap app has no window). */
async function refusalData(h: Harness) {
  return (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, execute: true } })).json.data;
}

/** The data of an executed create and of its idempotent replay. */
async function executedAndReplay(h: Harness) {
  await enableAutoExecute(h, h.runtime.bootstrap.appId);
  const body = { action: 'transaction.create', payload: CREATE, execute: true, idempotencyKey: 'again' };
  const first = (await h.agent('POST', '/actions', { body })).json.data;
  return { first, replay: (await h.agent('POST', '/actions', { body })).json.data };
}

/** A pending create's id, and the agent poll of it after `then` (approve, reject, or nothing). */
async function polledDraft(h: Harness, then?: 'approve' | 'reject') {
  const id = (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).json.data.draft.id;
  const review = then ? await h.admin('POST', `/drafts/${id}/${then}`, {}) : undefined;
  return { review: review?.json.data, poll: (await h.agent('GET', `/drafts/${id}`)).json.data };
}

/** Whether a create with `extra` request fields (execute:true by default) ran at once, after `auto` configured the bootstrap app's windows. */
async function createRuns(h: Harness, auto: Record<string, unknown> | null, extra: Record<string, unknown> = { execute: true }) {
  if (auto) await enableAutoExecute(h, h.runtime.bootstrap.appId, auto);
  return (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, ...extra } })).json.data;
}

/** The data of a high-risk delete of txn_2 under open windows (high_risk overridden by `highRisk`), its body without `omit`. */
async function highRiskRun(h: Harness, omit: string[], highRisk?: Record<string, unknown>) {
  await enableAutoExecute(h, h.runtime.bootstrap.appId, highRisk ? { high_risk: highRisk } : {});
  const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k-gates');
  const sent: Record<string, unknown> = { ...body };
  for (const k of omit) delete sent[k];
  return (await h.agent('POST', '/actions', { body: sent })).json.data;
}

const inAnHour = () => new Date(Date.now() + 3_600_000).toISOString();

/** A create the demo domain drafts but refuses when it executes (a zero amount). */
const FAILING = { ...CREATE, amount_home: 0 };

/** The agent poll of an approved draft of FAILING. */
async function failedPoll(h: Harness) {
  const id = (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: FAILING } })).json.data.draft.id;
  await h.admin('POST', `/drafts/${id}/approve`, {});
  return (await h.agent('GET', `/drafts/${id}`)).json.data;
}

/** A pending create's id after `first` and the status of `second` on it (approve or reject). */
async function reviewTwice(h: Harness, first: 'approve' | 'reject', second: 'approve' | 'reject') {
  const id = (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).json.data.draft.id;
  await h.admin('POST', `/drafts/${id}/${first}`, {});
  return (await h.admin('POST', `/drafts/${id}/${second}`, {})).status;
}

/** Whether a preflight's impactHash differs from hex(SHA-256(JCS({action, payload, impact}))) of its own reply. */
async function impactHashWrong(h: Harness) {
  const d = await preflightData(h);
  return d.impactHash !== impactHash('transaction.create', CREATE, d.impact);
}

/** Each probe returns true when the fault's defect is observable. */
const PROBES: Record<string, { opts?: RuntimeOptions; probe: (h: Harness) => Promise<boolean> }> = {
  'env-text-errors': { probe: async (h) => (await h.agent('GET', '/manifest', { token: null })).headers['content-type']!.startsWith('text/plain') },
  'env-stack-leak': { probe: async (h) => /\n\s+at .*[/\\]/.test((await h.agent('POST', '/actions', { body: {} })).json.message) },
  'env-status-mismatch': {
    probe: async (h) => {
      const r = await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: (await readonlyApp(h)).token });
      return r.json.code === 'agent.scope_denied' && r.status === 400;
    },
  },
  'authn-revocation-cache': {
    probe: async (h) => {
      const app = await h.newApp();
      await h.agent('GET', '/manifest', { token: app.token });
      await h.admin('POST', `/keys/${app.keyId}/revoke`);
      return (await h.agent('GET', '/manifest', { token: app.token })).status === 200;
    },
  },
  'authn-ignore-expiry': {
    probe: (h) => expiredKeyWorks(h, 1_000),
  },
  'authn-app-revoke-keeps-keys': {
    probe: async (h) => {
      const app = await h.newApp();
      await h.admin('POST', `/apps/${app.appId}/revoke`);
      return (await h.agent('GET', '/manifest', { token: app.token })).status === 200;
    },
  },
  'authn-token-in-query': { probe: async (h) => (await h.agent('GET', `/manifest?access_token=${h.token}`, { token: null })).status === 200 },
  'disc-show-all-tools': {
    probe: async (h) => (await h.agent('GET', '/manifest', { token: (await readonlyApp(h)).token })).json.data.tools.length > 1,
  },
  'disc-write-no-confirmation': {
    probe: async (h) => (await h.agent('GET', '/manifest')).json.data.tools.some((t: any) => t.kind === 'action' && !t.requiresConfirmation),
  },
  'authz-read-no-scope': {
    probe: async (h) => (await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: (await readonlyApp(h)).token })).status === 200,
  },
  'authz-partial-scopes': {
    probe: async (h) => {
      const app = await h.newApp({ scopes: ['transaction.read'] });
      const r = await h.agent('POST', '/preflight', { token: app.token, body: { action: 'transactions.export_csv', payload: { ledgerId: 'ledger_main' } } });
      return r.status === 200;
    },
  },
  'tenant-cross-read': {
    probe: async (h) => {
      const other = await h.newApp({ org_id: 'org_other' });
      return (await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: other.token })).status === 200;
    },
  },
  'tenant-trust-client-org': {
    probe: async (h) => {
      const other = await h.newApp({ org_id: 'org_other' });
      const r = await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: other.token, headers: { 'x-org-id': 'org_demo' } });
      return r.status === 200;
    },
  },
  'tenant-preflight-leak': {
    probe: async (h) => {
      const other = await h.newApp({ org_id: 'org_other' });
      const r = await h.agent('POST', '/preflight', { token: other.token, body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } });
      return JSON.stringify(r.json).includes('Consulting payment');
    },
  },
  'abac-ip-ignored': {
    probe: async (h) => (await h.agent('GET', '/manifest', { token: (await withPolicy(h, { network: { allowed_ips: ['10.9.9.9'] } })).token })).status === 200,
  },
  'abac-cidr-broken': {
    probe: async (h) => (await h.agent('GET', '/manifest', { token: (await withPolicy(h, { network: { allowed_ips: ['127.0.0.0/8'] } })).token })).status === 403,
  },
  'abac-ledger-ignored': {
    probe: async (h) => {
      const app = await withPolicy(h, { data: { allowed_ledger_ids: ['ledger_ops'] } });
      return (await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: app.token })).status === 200;
    },
  },
  'abac-max-days-ignored': {
    probe: async (h) => {
      const app = await withPolicy(h, { data: { max_days: 30 } });
      const start = new Date(Date.now() - 60 * DAY).toISOString();
      return (await h.agent('GET', `/transactions?ledgerId=ledger_main&startDate=${start}`, { token: app.token })).status === 200;
    },
  },
  'abac-no-redaction': {
    probe: async (h) => {
      const app = await withPolicy(h, { data: { allow_sensitive_fields: false } });
      return (await h.txns('ledger_main', app.token)).some((t) => t.notes !== null);
    },
  },
  'adm-no-limit': {
    opts: { rateLimit: { limit: 2, windowMs: 60_000 } },
    probe: async (h) => {
      for (let i = 0; i < 2; i++) await h.agent('GET', '/ledgers');
      return (await h.agent('GET', '/ledgers')).status === 200;
    },
  },
  'adm-side-effects': {
    opts: { rateLimit: { limit: 1, windowMs: 60_000 } },
    probe: async (h) => {
      await h.agent('GET', '/ledgers');
      const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
      return r.status === 429 && (await h.drafts(h.runtime.bootstrap.appId)).length > 0;
    },
  },
  'adm-no-retry-after': {
    opts: { rateLimit: { limit: 1, windowMs: 60_000 } },
    probe: async (h) => {
      await h.agent('GET', '/ledgers');
      const r = await h.agent('GET', '/ledgers');
      return r.status === 429 && r.headers['retry-after'] === undefined;
    },
  },
  'audit-skip-reads': {
    probe: async (h) => {
      await h.agent('GET', '/ledgers');
      return !(await h.audit(h.runtime.bootstrap.appId)).some((e) => e.action === 'agent.ledger.list');
    },
  },
  'audit-skip-denials': {
    probe: async (h) => {
      const app = await readonlyApp(h);
      await h.agent('GET', '/transactions?ledgerId=ledger_main', { token: app.token });
      return !(await h.audit(app.appId)).some((e) => e.status === 'denied');
    },
  },
  'audit-token-leak': {
    probe: async (h) => {
      await h.agent('GET', '/ledgers');
      return JSON.stringify(await h.audit()).includes(h.token);
    },
  },
  'write-execute-immediately': {
    probe: async (h) => (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } })).json.data.status === 'executed',
  },
  'write-double-execute': {
    probe: async (h) => {
      const title = 'double?';
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, title } } });
      await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
      return (await h.txns()).filter((t) => t.title === title).length > 1;
    },
  },
  'write-reject-executes': {
    probe: async (h) => {
      const title = 'rejected?';
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, title } } });
      await h.admin('POST', `/drafts/${d.json.data.draft.id}/reject`, {});
      return (await h.txns()).some((t) => t.title === title);
    },
  },
  'write-reapprove': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
      await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
      return (await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {})).status === 200;
    },
  },
  'write-draft-cross-app': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
      const other = await h.newApp();
      return (await h.agent('GET', `/drafts/${d.json.data.draft.id}`, { token: other.token })).status === 200;
    },
  },
  'autoexec-ignore-expiry': {
    probe: async (h) => {
      await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, {
        writes: { enabled: true, expires_at: new Date(Date.now() - 1000).toISOString(), allowed_actions: ['transaction.create'] },
      });
      return executedCreate(h, {});
    },
  },
  'autoexec-ignore-allowed': {
    probe: async (h) => {
      await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, { writes: { enabled: true, allowed_actions: ['transaction.update'] } });
      return executedCreate(h, {});
    },
  },
  'autoexec-ignore-force-draft': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      return executedCreate(h, { forceDraft: true });
    },
  },
  'autoexec-writes-cover-high-risk': {
    probe: async (h) => {
      await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, { writes: { enabled: true, allowed_actions: ['transaction.delete'] } });
      return highRiskDeleteExecutes(h);
    },
  },
  'autoexec-high-risk-ignore-expiry': {
    probe: async (h) => {
      await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, {
        high_risk: { enabled: true, expires_at: new Date(Date.now() - 1000).toISOString(), allowed_actions: ['transaction.delete'] },
      });
      return highRiskDeleteExecutes(h);
    },
  },
  'autoexec-high-risk-ignore-allowed': {
    probe: async (h) => {
      await h.admin('PATCH', `/apps/${h.runtime.bootstrap.appId}/auto-execute`, { high_risk: { enabled: true, allowed_actions: ['transaction.hard_delete'] } });
      return highRiskDeleteExecutes(h);
    },
  },
  'autoexec-no-review-path': {
    probe: async (h) => (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, execute: true } })).json.data.review_path === undefined,
  },
  'preflight-hash-not-jcs': {
    probe: async (h) => {
      const payload = { transactionId: 'txn_1' };
      const d = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload } })).json.data;
      return d.impactHash !== impactHash('transaction.delete', payload, d.impact);
    },
  },
  'preflight-not-required': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k1');
      return (await h.agent('POST', '/actions', { body: { ...body, preflightHash: undefined } })).json.data.status === 'executed';
    },
  },
  'preflight-skip-compare': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      const { body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_2' }, h.token, 'k1');
      return (await h.agent('POST', '/actions', { body: { ...body, preflightHash: 'f'.repeat(64) } })).json.data.status === 'executed';
    },
  },
  'preflight-id-unbound': {
    probe: async (h) => {
      const pf = await h.agent('POST', '/preflight', { body: { action: 'transaction.create', payload: CREATE } });
      const other = await h.newApp();
      const r = await h.agent('POST', '/actions', { token: other.token, body: { action: 'transaction.create', preflightId: pf.json.data.preflightId } });
      return r.status === 200;
    },
  },
  'idem-no-replay': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'same' });
      const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, execute: true, idempotencyKey: 'same' } });
      return r.json.data.replayed !== true;
    },
  },
  'idem-race': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      const body = { action: 'transaction.create', payload: { ...CREATE, title: 'raced' }, execute: true, idempotencyKey: 'race' };
      await Promise.all(Array.from({ length: 8 }, () => h.agent('POST', '/actions', { body })));
      return (await h.txns()).filter((t) => t.title === 'raced').length > 1;
    },
  },
  'idem-mismatch-runs': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'k' });
      await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, title: 'swapped' }, execute: true, idempotencyKey: 'k' } });
      return (await h.txns()).some((t) => t.title === 'swapped');
    },
  },
  'witness-hash-wrong': {
    probe: async (h) => {
      const d = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } })).json.data;
      return d.stateWitnessHash !== witnessHash(d.stateWitness);
    },
  },
  'witness-skip-on-create': {
    probe: async (h) => {
      const payload = { transactionId: 'txn_2', title: 'renamed' };
      const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.update', payload } })).json.data;
      await drift(h, 'txn_2');
      const r = await h.agent('POST', '/actions', { body: { action: 'transaction.update', payload, stateWitnessHash: pf.stateWitnessHash } });
      return r.status === 200;
    },
  },
  'witness-skip-on-approve': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_3' } } });
      await drift(h, 'txn_3');
      return (await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {})).status === 200;
    },
  },
  'witness-confirms-on-refusal': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_3' } } });
      await drift(h, 'txn_3');
      const refused = await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
      const after = await h.admin('GET', `/drafts/${d.json.data.draft.id}`);
      return refused.status === 409 && after.json.data.draft.status === 'confirmed';
    },
  },
  'write-review-failed': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_3' } } });
      await drift(h, 'txn_3');
      await h.admin('POST', `/drafts/${d.json.data.draft.id}/approve`, {});
      return (await h.admin('POST', `/drafts/${d.json.data.draft.id}/reject`, {})).status === 200;
    },
  },
  'authn-expiry-grace': {
    probe: (h) => expiredKeyWorks(h, 2_000),
  },
  'adm-limit-per-ip': {
    opts: { rateLimit: { limit: 2, windowMs: 60_000 } },
    probe: async (h) => {
      for (let i = 0; i < 3; i++) await h.agent('GET', '/ledgers');
      return (await h.agent('GET', '/ledgers', { token: (await h.newApp()).token })).status === 429;
    },
  },
  'audit-skip-reject': {
    probe: async (h) => {
      const d = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE } });
      await h.admin('POST', `/drafts/${d.json.data.draft.id}/reject`, {});
      return !(await h.audit()).some((e) => e.action === 'agent.draft.reject');
    },
  },
  'audit-skip-replay': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'same' });
      await executedCreate(h, { idempotencyKey: 'same' });
      return !(await h.audit()).some((e) => e.action === 'agent.action.idempotency_replay');
    },
  },
  'audit-skip-admin': {
    probe: async (h) => (await h.audit((await h.newApp()).appId)).length === 0,
  },
  'env-admin-unauth-500': { probe: async (h) => (await h.call('GET', '/api/agent-admin/v1/apps')).status === 500 },
  'env-malformed-json-500': { probe: async (h) => (await h.agent('POST', '/actions', { rawBody: '{"action":' })).status === 500 },
  'abac-trust-forwarded-for': {
    probe: async (h) => {
      const app = await withPolicy(h, { network: { allowed_ips: ['10.9.9.9'] } });
      return (await h.agent('GET', '/manifest', { token: app.token, headers: { 'x-forwarded-for': '10.9.9.9' } })).status === 200;
    },
  },
  'witness-skip-on-auto-execute': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      const { pf, body } = await highRiskBody(h, 'transaction.delete', { transactionId: 'txn_3' }, h.token, 'k');
      await drift(h, 'txn_3');
      const r = await h.agent('POST', '/actions', { body: { ...body, payload: undefined, preflightId: pf.preflightId } });
      return r.json.data?.status === 'executed';
    },
  },
  'fuzz-crash-deep-nesting': {
    probe: async (h) => {
      let payload: unknown = 'x';
      for (let i = 0; i < 20; i++) payload = { a: payload };
      const body = JSON.stringify({ action: 'transaction.create', payload });
      const headers = { authorization: `Bearer ${h.token}` };
      return h.runtime.handle({ method: 'POST', path: '/api/agent/v1/actions', headers, body, clientIp: '127.0.0.1' }).then(
        (r) => r.status >= 500,
        () => true,
      );
    },
  },
  'fuzz-echo-token': { probe: async (h) => (await h.agent('POST', '/actions', { body: {} })).json.message.includes(h.token) },
  'preflight-reply-no-action': { probe: async (h) => !('action' in (await preflightData(h))) },
  'preflight-reply-no-risk': { probe: async (h) => !('risk' in (await preflightData(h))) },
  'preflight-reply-no-confirmation': { probe: async (h) => !('requiresConfirmation' in (await preflightData(h))) },
  'preflight-reply-no-impact': { probe: async (h) => !('impact' in (await preflightData(h))) },
  'preflight-reply-no-impact-hash': { probe: async (h) => !('impactHash' in (await preflightData(h))) },
  'preflight-reply-no-id': { probe: async (h) => !('preflightId' in (await preflightData(h))) },
  'preflight-id-other-action-not-found': {
    probe: async (h) => {
      const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.update', payload: { transactionId: 'txn_2', title: 'x' } } })).json.data;
      return (await h.agent('POST', '/actions', { body: { action: 'transaction.delete', preflightId: pf.preflightId } })).json.code === 'agent.preflight_not_found';
    },
  },
  'autoexec-refusal-no-status': { probe: async (h) => !('status' in (await refusalData(h))) },
  'autoexec-refusal-no-draft': { probe: async (h) => !('draft' in (await refusalData(h))) },
  'autoexec-refusal-no-denied-code': { probe: async (h) => !('autoExecuteDeniedCode' in (await refusalData(h))) },
  'autoexec-executed-no-status': { probe: async (h) => !('status' in (await executedAndReplay(h)).first) },
  'autoexec-executed-no-draft': { probe: async (h) => !('draft' in (await executedAndReplay(h)).first) },
  'autoexec-executed-no-execution': { probe: async (h) => !('execution' in (await executedAndReplay(h)).first) },
  'idem-replay-no-status': { probe: async (h) => !('status' in (await executedAndReplay(h)).replay) },
  'idem-replay-no-replayed': { probe: async (h) => !('replayed' in (await executedAndReplay(h)).replay) },
  'idem-replay-no-code': { probe: async (h) => !('code' in (await executedAndReplay(h)).replay) },
  'idem-replay-no-execution': { probe: async (h) => !('execution' in (await executedAndReplay(h)).replay) },
  'write-poll-no-draft': { probe: async (h) => !('draft' in (await polledDraft(h)).poll) },
  'write-poll-no-null-execution': { probe: async (h) => !('execution' in (await polledDraft(h)).poll) },
  'write-poll-hides-execution': { probe: async (h) => (await polledDraft(h, 'approve')).poll.execution === null },
  'write-draft-no-payload': { probe: async (h) => (await polledDraft(h)).poll.draft.payload === undefined },
  'write-canceled-as-rejected': { probe: async (h) => (await polledDraft(h, 'reject')).poll.draft.status === 'rejected' },
  'write-execution-no-status': { probe: async (h) => (await polledDraft(h, 'approve')).review.execution.status === undefined },
  'write-auto-executed-stays-draft': {
    probe: async (h) => {
      const { first } = await executedAndReplay(h);
      return (await h.agent('GET', `/drafts/${first.draft.id}`)).json.data.draft.status === 'draft';
    },
  },
  'witness-no-reason': {
    probe: async (h) => {
      const payload = { transactionId: 'txn_2', title: 'renamed' };
      const pf = (await h.agent('POST', '/preflight', { body: { action: 'transaction.update', payload } })).json.data;
      await drift(h, 'txn_2');
      const r = await h.agent('POST', '/actions', { body: { action: 'transaction.update', payload, stateWitnessHash: pf.stateWitnessHash } });
      return r.status === 409 && r.json.details === undefined;
    },
  },
  'autoexec-gate-order-writes': {
    probe: async (h) => {
      const writes = { enabled: true, expires_at: new Date(Date.now() - 3_600_000).toISOString(), allowed_actions: ['transaction.update'] };
      return (await createRuns(h, { writes })).autoExecuteDeniedCode === 'agent.auto_execute_denied';
    },
  },
  'autoexec-gate-order-high-risk': { probe: async (h) => (await highRiskRun(h, ['idempotencyKey', 'preflightHash'])).autoExecuteDeniedCode === 'agent.preflight_required' },
  'autoexec-no-justification-gate': { probe: async (h) => (await highRiskRun(h, ['justification'])).status === 'executed' },
  'idem-key-not-required': { probe: async (h) => (await highRiskRun(h, ['idempotencyKey'])).status === 'executed' },
  'autoexec-writes-ignore-enabled': { probe: async (h) => (await createRuns(h, { writes: { enabled: false, expires_at: inAnHour(), allowed_actions: ['transaction.create'] } })).status === 'executed' },
  'autoexec-high-risk-ignore-enabled': {
    probe: async (h) => (await highRiskRun(h, [], { enabled: false, expires_at: inAnHour(), allowed_actions: ['transaction.delete'] })).status === 'executed',
  },
  'autoexec-unconfigured-open': { probe: async (h) => (await createRuns(h, null)).status === 'executed' },
  'autoexec-execute-implied': { probe: async (h) => (await createRuns(h, {}, {})).status === 'executed' },
  'autoexec-never-executes': { probe: async (h) => (await createRuns(h, {})).status === 'draft' },
  'autoexec-require-preflight-default-off': {
    probe: async (h) => (await highRiskRun(h, ['preflightHash'], { enabled: true, expires_at: inAnHour(), allowed_actions: ['transaction.delete'] })).status === 'executed',
  },
  'autoexec-require-idempotency-default-off': {
    probe: async (h) => (await highRiskRun(h, ['idempotencyKey'], { enabled: true, expires_at: inAnHour(), allowed_actions: ['transaction.delete'] })).status === 'executed',
  },
  'write-failed-confirmed': { probe: async (h) => (await failedPoll(h)).draft.status === 'confirmed' },
  'write-failed-no-error': { probe: async (h) => (await failedPoll(h)).execution.error === undefined },
  'idem-retries-failed': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      const body = { action: 'transaction.create', payload: FAILING, execute: true, idempotencyKey: 'fails' };
      await h.agent('POST', '/actions', { body });
      return (await h.agent('POST', '/actions', { body })).json.data?.replayed !== true;
    },
  },
  'write-reject-confirmed': { probe: async (h) => (await reviewTwice(h, 'approve', 'reject')) === 200 },
  'write-approve-canceled': { probe: async (h) => (await reviewTwice(h, 'reject', 'approve')) === 200 },
  'write-reject-canceled': { probe: async (h) => (await reviewTwice(h, 'reject', 'reject')) === 200 },
  'write-approve-runs-nothing': { probe: async (h) => (await polledDraft(h, 'approve')).poll.execution === null },
  'write-draft-missing-not-found': { probe: async (h) => (await h.agent('GET', '/drafts/drf_nothing')).json.code === 'agent.not_found' },
  'preflight-hash-no-action': { probe: impactHashWrong },
  'preflight-hash-no-payload': { probe: impactHashWrong },
  'preflight-hash-no-impact': { probe: impactHashWrong },
  'preflight-hash-base64': { probe: impactHashWrong },
  'preflight-hash-server-salt': { probe: impactHashWrong },
  'witness-hash-base64': {
    probe: async (h) => {
      const d = (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } })).json.data;
      return d.stateWitnessHash !== witnessHash(d.stateWitness);
    },
  },
  'witness-preflight-no-witness': {
    probe: async (h) => !('stateWitness' in (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_1' } } })).json.data),
  },
  'idem-mismatch-replays': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'm' });
      const r = await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: { ...CREATE, title: 'other' }, execute: true, idempotencyKey: 'm' } });
      return r.json.data?.replayed === true;
    },
  },
  'autoexec-refusal-draft-unsaved': { probe: async (h) => (await h.agent('GET', `/drafts/${(await refusalData(h)).draft.id}`)).status === 404 },
  'write-draft-no-justification': {
    probe: async (h) => {
      const d = (await h.agent('POST', '/actions', { body: { action: 'transaction.create', payload: CREATE, justification: 'because' } })).json.data;
      return (await h.agent('GET', `/drafts/${d.draft.id}`)).json.data.draft.justification === undefined;
    },
  },
  'write-draft-no-preflight-hash': { probe: async (h) => (await polledDraft(h)).poll.draft.preflight_hash === undefined },
  'preflight-id-unknown-not-found': {
    probe: async (h) => (await h.agent('POST', '/actions', { body: { action: 'transaction.create', preflightId: 'pfl_never_issued' } })).json.code === 'agent.not_found',
  },
  'write-approve-skips-unwitnessed-high-risk': {
    probe: async (h) => {
      const d = (await h.agent('POST', '/actions', { body: { action: 'transactions.export_csv', payload: { ledgerId: 'ledger_main' } } })).json.data;
      return (await h.admin('POST', `/drafts/${d.draft.id}/approve`, {})).json.data.execution === null;
    },
  },
  'idem-scoped-per-key': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'scope' });
      const second = (await h.admin('POST', `/apps/${h.runtime.bootstrap.appId}/keys`, {})).json.data.token;
      const body = { action: 'transaction.create', payload: CREATE, execute: true, idempotencyKey: 'scope' };
      return (await h.agent('POST', '/actions', { token: second, body })).json.data.replayed !== true;
    },
  },
  'idem-scoped-globally': {
    probe: async (h) => {
      await enableAutoExecute(h, h.runtime.bootstrap.appId);
      await executedCreate(h, { idempotencyKey: 'scope' });
      const other = await h.newApp();
      await enableAutoExecute(h, other.appId);
      const body = { action: 'transaction.create', payload: CREATE, execute: true, idempotencyKey: 'scope' };
      return (await h.agent('POST', '/actions', { token: other.token, body })).json.data.replayed === true;
    },
  },
  'preflight-id-payload-lost': {
    probe: async (h) => {
      const pf = await preflightData(h);
      return (await h.agent('POST', '/actions', { body: { action: 'transaction.create', preflightId: pf.preflightId } })).status !== 200;
    },
  },
  'witness-cached': {
    probe: async (h) => {
      const hashOf = async () => (await h.agent('POST', '/preflight', { body: { action: 'transaction.delete', payload: { transactionId: 'txn_2' } } })).json.data.stateWitnessHash;
      const before = await hashOf();
      await drift(h, 'txn_2');
      return (await hashOf()) === before;
    },
  },
  'write-no-payload-not-validation': {
    probe: async (h) => (await h.agent('POST', '/actions', { body: { action: 'transaction.create' } })).json.code === 'agent.action_invalid',
  },
};

describe('fault registry', () => {
  it('names known clauses for every fault, each once, judged by existing requirements, and has a probe for each', () => {
    expect(listFaults()).toBe(FAULTS);
    for (const f of FAULTS) {
      expect(f.clauses.length, f.name).toBeGreaterThan(0);
      expect(new Set(f.clauses).size, f.name).toBe(f.clauses.length);
      expect(faultClauses(f).map((c) => c.id), f.name).toEqual([...f.clauses]);
      for (const id of faultRequirements(f)) expect(hasRequirement(id), `${f.name}: ${id}`).toBe(true);
      expect(PROBES[f.name], f.name).toBeDefined();
    }
    expect(Object.keys(PROBES).sort()).toEqual(FAULTS.map((f) => f.name).sort());
  });

  it('refuses a fault naming an unknown clause id, or none', () => {
    const f = FAULTS[0];
    expect(() => faultClauses({ ...f, clauses: ['ENV.content-type.errors', 'ENV.no-such-clause'] })).toThrow(`fault ${f.name} names unknown clause id ENV.no-such-clause`);
    expect(() => faultRequirements({ ...f, clauses: [] })).toThrow(`fault ${f.name} names no clause`);
  });

  it('derives the requirements that must catch a fault from its clauses, each once', () => {
    const f = FAULTS.find((x) => x.name === 'authn-revocation-cache')!;
    expect(faultRequirements(f)).toEqual(['AUTHN-004', 'FUZZ-005', 'FUZZ-007']);
  });

  it('rejects unknown fault names, listing the valid ones', () => {
    expect(() => createRuntime({ faults: ['no-such-fault'] })).toThrow(/no-such-fault.*env-text-errors/s);
  });
});

describe.each(FAULTS.map((f) => [f.name, f.clauses.join(', ')] as const))('fault %s (%s)', (name) => {
  const { opts, probe } = PROBES[name]!;
  it('is absent from the clean runtime', async () => {
    expect(await probe(harness(opts))).toBe(false);
  });
  it('is live when injected', async () => {
    expect(await probe(harness({ ...opts, faults: [name] }))).toBe(true);
  });
});
