/** Admin-plane handlers: apps, keys, policy, auto-execute, draft review, audit. */
import { sha256Hex } from '../protocol/hash.js';
import type { Core } from './core.js';
import { ApiError, Checker, isObject, issue, storageFull, validationError, type Json } from './errors.js';
import { parseAutoExecute, parsePolicy } from './policy.js';
import { actorOf, type AppRec, type KeyRec } from './store.js';
import { approveDraft, draftView, rejectDraft } from './writes.js';

function auditAdmin(core: Core, admin: string, action: string, app: AppRec, key: KeyRec | null, details: Json): void {
  core.hooks.adminAuditEvent({ app, key, actor: actorOf(app), admin, action, details });
}

function appOf(core: Core, id: string): AppRec {
  const app = core.store.apps.get(id);
  if (!app) throw new ApiError('agent.not_found', 'App not found');
  return app;
}

function keyView(k: KeyRec): Json {
  return { id: k.id, app_id: k.app_id, name: k.name, token_prefix: k.token_prefix, expires_at: k.expires_at, revoked_at: k.revoked_at, created_at: k.created_at };
}

function issueKey(core: Core, admin: string, app: AppRec, name: string, expiresAt: string | null): { key: KeyRec; token: string } {
  if (core.store.keys.size >= core.store.limits.keys) throw storageFull({ store: 'keys', scope: 'server', limit: core.store.limits.keys, retryAfterSeconds: null });
  const token = core.ids.secret('op', 32);
  const key: KeyRec = {
    id: core.ids.id('key'),
    app_id: app.id,
    name,
    token_hash: sha256Hex(token),
    token_prefix: token.slice(0, 12),
    expires_at: expiresAt === null ? null : new Date(Date.parse(expiresAt)).toISOString(),
    revoked_at: null,
    created_at: core.iso(),
  };
  core.store.addKey(key);
  auditAdmin(core, admin, 'agent_key.create', app, key, { name, token_prefix: key.token_prefix, expires_at: key.expires_at });
  return { key, token };
}

export function createApp(core: Core, admin: string, body: Json): { app: AppRec; key: KeyRec; token: string; view: Json } {
  const c = new Checker(body);
  c.only(['scope', 'name', 'description', 'org_id', 'user_id', 'service_user_id', 'scopes']);
  const scope = c.oneOf('scope', ['workspace', 'personal'], true);
  const name = c.string('name', { required: true, nonEmpty: true, max: 200 });
  const description = c.string('description', { nullable: true, max: 2000 }) ?? null;
  const orgId = c.string('org_id', { nonEmpty: true, max: 200 }) ?? core.domain.orgId;
  const userId = c.string('user_id', { nullable: true, nonEmpty: true, max: 200 }) ?? null;
  const serviceUserId = c.string('service_user_id', { nullable: true, nonEmpty: true, max: 200 }) ?? null;
  const scopes = c.stringArray('scopes') ?? [];
  scopes.forEach((s, i) => {
    if (!core.domain.scopes.includes(s)) c.issues.push(issue(['scopes', i], `unknown scope ${s}; known: ${core.domain.scopes.join(', ')}`, 'invalid_enum_value'));
  });
  if (c.issues.length > 0) throw validationError(c.issues);
  if (core.store.apps.size >= core.store.limits.apps) throw storageFull({ store: 'apps', scope: 'server', limit: core.store.limits.apps, retryAfterSeconds: null });
  if (core.store.keys.size >= core.store.limits.keys) throw storageFull({ store: 'keys', scope: 'server', limit: core.store.limits.keys, retryAfterSeconds: null });

  const id = core.ids.id('app');
  const at = core.iso();
  const app: AppRec = {
    id,
    scope: scope!,
    status: 'active',
    name: name!,
    description,
    user_id: userId,
    org_id: orgId,
    service_user_id: scope === 'workspace' ? serviceUserId ?? `svc_${id.slice('app_'.length)}` : serviceUserId,
    scopes: [...new Set(scopes)],
    policy: {},
    auto_execute: {},
    created_by: admin,
    created_at: at,
    updated_at: at,
  };
  core.store.addApp(app);
  auditAdmin(core, admin, 'agent_app.create', app, null, { name: app.name, scope: app.scope, org_id: app.org_id, scopes: app.scopes });
  const { key, token } = issueKey(core, admin, app, 'Default key', null);
  // Key shape of the authors' runtime (fixture admin-create-app.json).
  const keyOut = { id: key.id, name: key.name, token_prefix: key.token_prefix, created_at: key.created_at };
  return { app, key, token, view: { app: { ...app }, key: keyOut, token } };
}

export interface AdminRequest {
  admin: string;
  params: string[];
  query: URLSearchParams;
  body: Json;
}

type AdminHandler = (core: Core, r: AdminRequest) => Json;

function note(body: Json): string | null {
  const c = new Checker(body);
  const n = c.string('note', { nullable: true, max: 2000 }) ?? null;
  if (c.issues.length > 0) throw validationError(c.issues);
  return n;
}

export function limitParam(q: URLSearchParams): number {
  const raw = q.get('limit');
  if (raw === null) return 200;
  const n = /^\d{1,4}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= 1000)) throw validationError([issue(['limit'], 'limit must be an integer between 1 and 1000', 'invalid_type')]);
  return n;
}

/** A listing's `cursor` (a nextCursor of an earlier page: a number), or null for the first page. */
function cursorParam(q: URLSearchParams): number | null {
  const raw = q.get('cursor');
  if (raw === null) return null;
  if (!/^\d{1,15}$/.test(raw)) throw validationError([issue(['cursor'], 'cursor must be a nextCursor of an earlier page', 'invalid_string')]);
  return Number(raw);
}

const DRAFT_STATUSES = ['draft', 'confirmed', 'canceled', 'failed'];

/** What the expiryIssues hook refuses in the windows of an auto-execute body. */
function windowExpiryIssues(core: Core, body: Json): ReturnType<typeof issue>[] {
  return (['writes', 'high_risk'] as const).flatMap((section) => {
    const w = body[section];
    return isObject(w) ? core.hooks.expiryIssues(w.expires_at, [section, 'expires_at'], w.enabled) : [];
  });
}

export const ADMIN_ROUTES: { pattern: string; method: string; creates?: true; run: AdminHandler }[] = [
  {
    pattern: '/apps',
    method: 'GET',
    /**
     * Creation order, one page: `limit` (default 200, at most 1000) and `cursor` (the previous page's
     * nextCursor), as the drafts listing pages: a store of thousands of apps is never answered whole.
     */
    run(core, r) {
      const cursor = cursorParam(r.query);
      const page = core.store.pageApps(limitParam(r.query), cursor ?? 0);
      return { items: page.items.map((a) => ({ ...a })), nextCursor: page.next === null ? null : String(page.next) };
    },
  },
  { pattern: '/apps', method: 'POST', creates: true, run: (core, r) => createApp(core, r.admin, r.body).view },
  {
    pattern: '/apps/:id/keys',
    method: 'POST',
    creates: true,
    run(core, r) {
      const app = appOf(core, r.params[0]!);
      // A revoked app gets no new key by default (the authors' runtime: 404 agent.not_found).
      if (!core.hooks.keyIssuable(app)) throw new ApiError('agent.not_found', 'App not found or revoked');
      const c = new Checker(r.body);
      c.only(['name', 'expiresAt']);
      const name = c.string('name', { nonEmpty: true, max: 200 }) ?? 'Key';
      // A past expiresAt is accepted on purpose: it is how an expired key is made.
      const expiresAt = c.date('expiresAt', { nullable: true }) ?? null;
      c.issues.push(...core.hooks.expiryIssues(expiresAt, ['expiresAt']));
      if (c.issues.length > 0) throw validationError(c.issues);
      const { key, token } = issueKey(core, r.admin, app, name, expiresAt);
      return { key: keyView(key), token };
    },
  },
  {
    pattern: '/apps/:id/revoke',
    method: 'POST',
    run(core, r) {
      const app = appOf(core, r.params[0]!);
      const at = core.iso();
      app.status = 'revoked';
      app.updated_at = at;
      if (core.hooks.appRevocationRevokesKeys()) {
        for (const k of core.store.keysOf(app.id)) k.revoked_at ??= at;
      }
      auditAdmin(core, r.admin, 'agent_app.revoke', app, null, {});
      return { app: { ...app } };
    },
  },
  {
    pattern: '/keys/:id/revoke',
    method: 'POST',
    run(core, r) {
      const key = core.store.keys.get(r.params[0]!);
      if (!key) throw new ApiError('agent.not_found', 'Key not found');
      key.revoked_at ??= core.iso();
      auditAdmin(core, r.admin, 'agent_key.revoke', appOf(core, key.app_id), key, {});
      return { key: keyView(key) };
    },
  },
  {
    pattern: '/apps/:id/policy',
    method: 'PATCH',
    run(core, r) {
      const app = appOf(core, r.params[0]!);
      const { policy, issues } = parsePolicy(r.body, core.domain.containerPolicyField);
      if (!policy) throw validationError(issues);
      app.policy = policy;
      app.updated_at = core.iso();
      auditAdmin(core, r.admin, 'agent_app.policy.update', app, null, { policy });
      return { ok: true, policy };
    },
  },
  {
    pattern: '/apps/:id/auto-execute',
    method: 'PATCH',
    run(core, r) {
      const app = appOf(core, r.params[0]!);
      const { config, issues } = parseAutoExecute(r.body, app.auto_execute, core.hooks);
      if (!config) throw validationError(issues);
      const refused = windowExpiryIssues(core, r.body);
      if (refused.length > 0) throw validationError(refused);
      for (const section of ['writes', 'high_risk'] as const) {
        const unknown = config[section]?.allowed_actions?.filter((a) => !Object.hasOwn(core.domain.actions, a)) ?? [];
        if (unknown.length > 0) {
          throw validationError([issue([section, 'allowed_actions'], `unknown actions: ${unknown.join(', ')}`, 'invalid_enum_value')]);
        }
      }
      app.auto_execute = config;
      app.updated_at = core.iso();
      auditAdmin(core, r.admin, 'agent_app.auto_execute.update', app, null, { auto_execute: config });
      return { ok: true, auto_execute: config };
    },
  },
  { pattern: '/apps/:id/tools', method: 'GET', run: (core, r) => ({ tools: core.hooks.manifestTools(core.domain.tools, appOf(core, r.params[0]!).scopes) }) },
  {
    pattern: '/drafts',
    method: 'GET',
    /**
     * Newest first, one page: `limit` (default 200, at most 1000) and `cursor` (the previous page's
     * nextCursor). Drafts are indexed by app, so a listing of one app never scans the others.
     */
    run(core, r) {
      const asked = r.query.get('status');
      if (asked !== null && !DRAFT_STATUSES.includes(asked)) {
        throw validationError([issue(['status'], `status must be one of ${DRAFT_STATUSES.join(', ')}`, 'invalid_enum_value')]);
      }
      const { appId, status } = core.hooks.draftsQuery(r.query);
      const cursor = cursorParam(r.query);
      const page = core.store.pageDrafts({ appId, status, limit: limitParam(r.query), before: cursor });
      return { items: page.items.map((d) => d.draft), nextCursor: page.next === null ? null : String(page.next) };
    },
  },
  {
    pattern: '/drafts/:id',
    method: 'GET',
    run(core, r) {
      const rec = core.store.drafts.get(r.params[0]!);
      if (!rec) throw new ApiError('agent.draft_not_found', 'Draft not found');
      return draftView(rec);
    },
  },
  { pattern: '/drafts/:id/approve', method: 'POST', run: (core, r) => approveDraft(core, r.params[0]!, r.admin, note(r.body)) },
  { pattern: '/drafts/:id/reject', method: 'POST', run: (core, r) => rejectDraft(core, r.params[0]!, r.admin, note(r.body)) },
  {
    pattern: '/audit',
    method: 'GET',
    run: (core, r) => core.hooks.auditListing(r.query, core.hooks.auditQuery(r.query), (filter) => core.audit.list(filter)),
  },
];
