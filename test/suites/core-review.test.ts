/**
 * The core checks after review, proven on servers the runtime's faults and variants do not model: the
 * reference runtime over loopback HTTP with a small wrapper around its `handle` that either injects a
 * defect (the check must fail, or warn for a SHOULD) or makes a choice the brief allows (the check must
 * pass). Each case names the angle the review added.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/suite.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { createRuntime, startHttpServer } from '../../src/runtime/index.js';
import type { Runtime, RuntimeRequest, RuntimeResponse } from '../../src/runtime/types.js';
import { testRuntime } from '../runtime/helpers.js';
import { virtualClock } from '../../src/runner/clock.js';

const RATE = { limit: 30, windowMs: 1000 };

/** What the wrapper learned from the admin traffic: whose token is whose, in which tenant, under which policy. */
interface World {
  appOf: Map<string, string>;
  orgOf: Map<string, string>;
  policyOf: Map<string, any>;
  /** Tokens refused with 401, by app. */
  refused: Map<string, string[]>;
  bootstrapToken: string;
  /** The admin plane's Authorization value (a credential, unlike an operator id). */
  adminAuth: string;
  /** Scratch space of one edit. */
  memo: Record<string, any>;
  /** The clock the server and the run share (the target's clock). */
  now: () => number;
}

type Next = (req: RuntimeRequest) => Promise<RuntimeResponse>;
/** A server change: answer `req`, usually by calling `next` (the reference runtime) and editing. */
type Edit = (req: RuntimeRequest, next: Next, w: World) => Promise<RuntimeResponse>;

const text = (b: RuntimeRequest['body']) => (b === undefined ? '' : typeof b === 'string' ? b : Buffer.from(b).toString('utf8'));
const parse = (s: string): any => {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
};
const bearer = (req: RuntimeRequest) => /^Bearer +(\S+)/i.exec(String(req.headers.authorization ?? ''))?.[1];
const appOfReq = (req: RuntimeRequest, w: World) => w.appOf.get(bearer(req) ?? '');
const json = (status: number, body: unknown, headers: Record<string, string> = {}): RuntimeResponse => ({
  status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(body),
});
const refusal = (status: number, code: string, message = 'refused', details?: unknown) => json(status, { ok: false, code, message, ...(details ? { details } : {}) });
const rewrite = (res: RuntimeResponse, f: (body: any) => any): RuntimeResponse => ({ ...res, body: JSON.stringify(f(parse(res.body))) });
const isAgent = (req: RuntimeRequest, route: string) => req.path.split('?')[0] === `${AGENT_BASE}/${route}`;
const actionOf = (req: RuntimeRequest) => parse(text(req.body))?.action;

function wrap(rt: Runtime, edit: Edit | undefined, w: World): Runtime {
  const learn = (req: RuntimeRequest, res: RuntimeResponse) => {
    const path = req.path.split('?')[0];
    const data = parse(res.body)?.data;
    if (req.method === 'POST' && path === `${ADMIN_BASE}/apps` && data?.token) {
      w.appOf.set(data.token, data.app.id);
      w.orgOf.set(data.app.id, data.app.org_id);
    }
    const key = /^\/api\/agent-admin\/v1\/apps\/([^/]+)\/keys$/.exec(path);
    if (req.method === 'POST' && key && data?.token) w.appOf.set(data.token, decodeURIComponent(key[1]));
    const policy = /^\/api\/agent-admin\/v1\/apps\/([^/]+)\/policy$/.exec(path);
    if (req.method === 'PATCH' && policy) w.policyOf.set(decodeURIComponent(policy[1]), parse(text(req.body)));
    const app = appOfReq(req, w);
    if (res.status === 401 && app) w.refused.set(app, [...(w.refused.get(app) ?? []), bearer(req)!]);
  };
  const next: Next = async (req) => {
    const res = await rt.handle(req);
    learn(req, res);
    return res;
  };
  return { ...rt, handle: (req) => (edit ? edit(req, next, w) : next(req)) };
}

let dir: string;
let targetFile: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conform-review-'));
  targetFile = join(dir, 'target.yaml');
  writeFileSync(targetFile, `extends: demo\nrateLimit: { limit: ${RATE.limit}, windowMs: ${RATE.windowMs} }\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Options {
  variants?: string[];
  faults?: string[];
  /** Default core. */
  profile?: string;
  adminHeaders?: Record<string, string>;
  /** Scopes of the run token (default: the bootstrap key, every scope). */
  tokenScopes?: string[];
  /** Extra target-file YAML (a key the file already sets must not repeat). */
  targetYaml?: string;
  /** The runtime's rate limit (default RATE); the target file keeps announcing RATE. */
  rate?: { limit: number; windowMs: number };
  waitRetryAfter?: boolean;
  /**
   * No --token: the run mints its own with the admin headers. A server refusing every agent token refuses a
   * given --token up front (exit 3, before any check); a minted one reaches the token checks.
   */
  provisionToken?: true;
}

/** Run `only` against the wrapped runtime over HTTP; returns "status: message (actual)" per id. */
async function runOn(edit: Edit | undefined, only: string[], opts: Options = {}): Promise<Record<string, string>> {
  // One virtual clock for the runtime's limiter and the run (src/runner/clock.ts): rate windows and
  // Retry-After countdowns are met by the run's own waits, so machine load cannot change what these tests see.
  const clock = virtualClock();
  const rt = testRuntime({ rateLimit: opts.rate ?? RATE, variants: opts.variants, faults: opts.faults, windowNow: clock.now });
  const w: World = {
    appOf: new Map(), orgOf: new Map(), policyOf: new Map(), refused: new Map(),
    bootstrapToken: rt.bootstrap.agentToken, adminAuth: rt.adminHeaders.authorization ?? '', memo: {}, now: clock.now,
  };
  const adminHeaders = opts.adminHeaders ?? rt.adminHeaders;
  let token = rt.bootstrap.agentToken;
  if (opts.tokenScopes) {
    const res = await rt.handle({
      method: 'POST', path: `${ADMIN_BASE}/apps`, clientIp: '127.0.0.1', headers: { ...adminHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'workspace', name: 'review token', org_id: 'org_demo', service_user_id: 'svc_review', scopes: opts.tokenScopes }),
    });
    token = parse(res.body).data.token;
  }
  let file = targetFile;
  if (opts.targetYaml) {
    file = join(dir, `target-${only.join('-')}.yaml`);
    writeFileSync(file, `extends: demo\nrateLimit: { limit: ${RATE.limit}, windowMs: ${RATE.windowMs} }\n${opts.targetYaml}`);
  }
  const server = await startHttpServer(wrap(rt, edit, w));
  try {
    const report = await run({ url: server.url, targetFile: file, token: opts.provisionToken ? undefined : token, adminHeaders, profile: opts.profile ?? 'core', safety: 'load', only, seed: 11, waitRetryAfter: opts.waitRetryAfter, windowClock: clock });
    return Object.fromEntries(report.results.map((r) => [r.id, `${r.status}${r.message ? `: ${r.message}` : ''}${r.actual ? ` (${r.actual})` : ''}`]));
  } finally {
    await server.close();
    await rt.close();
  }
}

function expectStatus(results: Record<string, string>, want: Record<string, string>): void {
  for (const [id, status] of Object.entries(want)) expect(results[id], id).toMatch(new RegExp(`^${status}\\b`));
}

const IPV4_NET = (cidr: string) => cidr.split('/')[0];

/** Defects the reviewed checks must catch: [angle, edit, ids, expected status]. */
const DEFECTS: [string, Edit, string[], string, Options?][] = [
  // Refusing a page size it does not offer must not hide a page larger than the brief allows (§3: pageSize ≤ 200).
  ['paged reads refusing pageSize below 5 and serving pageSize 1 000',
    async (req, next) => {
      const u = new URL(req.path, 'http://x');
      const size = Number(u.searchParams.get('pageSize') ?? 50);
      if (!isAgent(req, 'transactions')) return next(req);
      if (size < 5) return refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'too_small', path: ['pageSize'], message: 'pageSize must be at least 5' }] });
      if (size <= 200) return next(req);
      u.searchParams.set('pageSize', '200');
      return rewrite(await next({ ...req, path: `${u.pathname}${u.search}` }), (b) => (b.ok ? { ...b, data: { ...b.data, pageSize: size } } : b));
    },
    ['ENV-006'], 'fail'],
  // ENV-011 is project-level (the brief says nothing of content codings), so no runtime fault aims at it.
  ['error replies declaring Content-Encoding: gzip, which no request accepted',
    async (req, next) => {
      const res = await next(req);
      return res.status >= 400 ? { ...res, headers: { ...res.headers, 'content-encoding': 'gzip' } } : res;
    },
    ['ENV-011'], 'warn'],
  ['a server auditing every write refused with 429 (ADM-002 tells new events by id)',
    async (req, next, w) => {
      const res = await next(req);
      const app = appOfReq(req, w);
      if (res.status === 429 && app && (isAgent(req, 'actions') || isAgent(req, 'preflight'))) {
        w.memo.refused ??= [];
        w.memo.refused.push({ id: `aud_refused_${w.memo.refused.length}`, app_id: app, action: 'agent.action.draft.created', status: 'denied', code: 'agent.rate_limited' });
      }
      if (req.method === 'GET' && req.path.split('?')[0] === `${ADMIN_BASE}/audit` && w.memo.refused?.length) {
        return rewrite(res, (b) => (b.ok ? { ...b, data: { ...b.data, items: [...w.memo.refused, ...b.data.items] } } : b));
      }
      return res;
    },
    ['ADM-002'], 'fail'],
  ['a limiter that counts only the requests its handlers admit (a burst of validation failures never meets it)',
    async (req, next) => (isAgent(req, 'preflight') && /"payload":\{\}/.test(text(req.body))
      ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'invalid_type', path: ['payload'], message: 'required' }] })
      : next(req)),
    ['ADM-001'], 'fail'],
  // Revoked, expired or of a revoked app: refused on the create tool's routes, answered (as a live key would be) on
  // every other write tool's preflight and actions.
  ...(['AUTHN-004', 'AUTHN-005', 'AUTHN-006'].map((id): [string, Edit, string[], string] => [
    `a dead key still answered on write tools other than the create (${id})`,
    async (req, next, w) => {
      const res = await next(req);
      const action = (isAgent(req, 'preflight') || isAgent(req, 'actions')) ? parse(text(req.body) || '{}')?.action : undefined;
      return res.status === 401 && typeof action === 'string' && action !== 'transaction.create'
        ? next({ ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } })
        : res;
    },
    [id], 'fail'])),
  ['an expired key still answered when it polls an existing draft of its app',
    async (req, next, w) => {
      const res = await next(req);
      const m = /^\/api\/agent\/v1\/drafts\/([^/?]+)$/.exec(req.path);
      if (!m || req.method !== 'GET' || parse(res.body)?.code !== 'agent.token_expired') return res;
      const asAdmin = await next({ ...req, path: `${ADMIN_BASE}/drafts/${m[1]}`, headers: { authorization: w.adminAuth } });
      return asAdmin.status === 200 ? asAdmin : res;
    },
    ['AUTHN-005'], 'fail'],
  // A manifest of every tool, whatever the key's scopes, for keys other than an app's first (issued by POST
  // /apps/{id}/keys), or for personal apps' keys.
  ...([
    ['keys issued after an app\'s first', (req: RuntimeRequest) => /^\/api\/agent-admin\/v1\/apps\/[^/]+\/keys$/.test(req.path)],
    ['personal apps\' keys', (req: RuntimeRequest) => req.path === `${ADMIN_BASE}/apps` && parse(text(req.body) || '{}')?.scope === 'personal'],
  ] as const).map(([who, issues]): [string, Edit, string[], string] => [
    `a manifest listing every tool to ${who}`,
    async (req, next, w) => {
      const res = await next(req);
      const token = parse(res.body)?.data?.token;
      if (req.method === 'POST' && issues(req) && typeof token === 'string') (w.memo.loose ??= new Set()).add(token);
      return isAgent(req, 'manifest') && w.memo.loose?.has(bearer(req)) ? next({ ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } }) : res;
    },
    ['DISC-001'], 'fail']),
  ['a server refusing every agent token (positive controls of the token checks)',
    async (req, next) => (req.path.startsWith(`${AGENT_BASE}/`) ? refusal(401, 'agent.token_invalid') : next(req)),
    ['AUTHN-002', 'AUTHN-003'], 'fail', { provisionToken: true }],
  ['a server refusing every agent token, for the SHOULD token check',
    async (req, next) => (req.path.startsWith(`${AGENT_BASE}/`) ? refusal(401, 'agent.token_invalid') : next(req)),
    ['AUTHN-007'], 'warn', { provisionToken: true }],
  ['a server matching tokens with startsWith (the real token plus a character authenticates)',
    async (req, next, w) => {
      const t = bearer(req);
      const real = t && [...w.appOf.keys(), w.bootstrapToken].find((k) => t !== k && t.startsWith(k));
      return next(real ? { ...req, headers: { ...req.headers, authorization: `Bearer ${real}` } } : req);
    },
    ['AUTHN-003'], 'fail'],
  ['a server reading access_token from the JSON body',
    async (req, next) => {
      const t = parse(text(req.body))?.access_token;
      return next(req.headers.authorization === undefined && typeof t === 'string' ? { ...req, headers: { ...req.headers, authorization: `Bearer ${t}` } } : req);
    },
    ['AUTHN-007'], 'warn'],
  // Names a plain object answers for (constructor, toString): the description's map must not take them for its tools.
  ['a manifest listing tools named constructor, toString and __proto__ to every key (a finding, not an error of the check)',
    async (req, next) => (isAgent(req, 'manifest')
      ? rewrite(await next(req), (b) => (b.ok ? { ...b, data: { ...b.data, tools: [...b.data.tools, ...['constructor', 'toString', '__proto__', 'hasOwnProperty'].map((name) => ({ ...b.data.tools[0], name, requiredScopes: ['no.such.scope'] }))] } } : b))
      : next(req)),
    ['DISC-001'], 'fail'],
  ['a manifest listing no tools to anyone (DISC-001 would compare empty sets)',
    async (req, next) => (isAgent(req, 'manifest') ? rewrite(await next(req), (b) => (b.ok ? { ...b, data: { ...b.data, tools: [] } } : b)) : next(req)),
    ['DISC-001'], 'fail'],
  ['a manifest showing every tool to every key while declaring no required scopes',
    async (req, next, w) => {
      if (!isAgent(req, 'manifest')) return next(req);
      w.memo.all ??= parse((await next({ ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } })).body).data.tools;
      const res = await next(req);
      if (res.status !== 200) return res;
      return rewrite(res, (b) => ({ ...b, data: { ...b.data, tools: w.memo.all.map((t: any) => ({ ...t, requiredScopes: [] })) } }));
    },
    ['DISC-001'], 'fail'],
  ['write tools without requiresConfirmation, under a read-only run token',
    async (req, next) => (isAgent(req, 'manifest')
      ? rewrite(await next(req), (b) => (b.ok ? { ...b, data: { ...b.data, tools: b.data.tools.map((t: any) => (t.kind === 'action' ? { ...t, requiresConfirmation: false } : t)) } } : b))
      : next(req)),
    ['DISC-002'], 'fail', { tokenScopes: ['ledger.read'] }],
  ['a hidden tool refused with its descriptor in the message',
    async (req, next) => {
      const res = await next(req);
      return actionOf(req) === 'transaction.delete' && [400, 403].includes(res.status)
        ? rewrite(res, (b) => ({ ...b, message: `${b.message} (Soft delete a transaction.)` }))
        : res;
    },
    ['DISC-003'], 'warn'],
  ['a hidden high-risk tool answered 400 action_invalid: neither the brief\'s 403 scope_denied nor the unknown tool\'s answer',
    async (req, next) => {
      const res = await next(req);
      return actionOf(req) === 'transaction.delete' && parse(res.body)?.code === 'agent.scope_denied' ? refusal(400, 'agent.action_invalid') : res;
    },
    ['DISC-003'], 'warn'],
  ["another tenant's draft of a delete answered with the foreign row",
    async (req, next, w) => {
      const app = appOfReq(req, w);
      if (!isAgent(req, 'actions') || actionOf(req) !== 'transaction.delete' || !app || w.orgOf.get(app) === 'org_demo') return next(req);
      return json(200, { ok: true, code: 'common.success', data: { status: 'draft', draft: { id: 'drf_review', status: 'draft', impact: { title: 'Consulting payment' } }, autoExecuteDeniedCode: null } });
    },
    ['TENANT-003'], 'fail'],
  ['an admin plane answering a method none of its routes takes with an HTML 405',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/`) && req.method === 'PUT'
      ? { status: 405, headers: { 'content-type': 'text/html' }, body: '<html><body>Method Not Allowed</body></html>' }
      : next(req)),
    ['ENV-007'], 'fail'],
  ['an admin plane answering 500 to a request without credentials',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/`) && req.headers.authorization === undefined ? json(500, { ok: false, code: 'common.internal_error', message: 'Internal server error' }) : next(req)),
    ['ENV-007'], 'fail'],
  ['an admin plane answering an HTML 404 to GET /drafts/{id} it does not know',
    async (req, next) => {
      const res = await next(req);
      return req.path.startsWith(`${ADMIN_BASE}/drafts/drf_conform_missing`) && req.method === 'GET'
        ? { status: 404, headers: { 'content-type': 'text/html' }, body: '<h1>Not Found</h1>' }
        : res;
    },
    ['ENV-007'], 'fail'],
  ['an admin-plane body parser that throws on a byte-order mark',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/`) && text(req.body).startsWith('\uFEFF') ? json(500, { ok: false, code: 'common.internal_error', message: 'Internal server error' }) : next(req)),
    ['ENV-008'], 'fail'],
  ['an agent-plane NaN literal answered with a non-envelope 400',
    async (req, next) => (isAgent(req, 'preflight') && text(req.body).includes('NaN') ? { status: 400, headers: { 'content-type': 'text/plain' }, body: 'Bad Request' } : next(req)),
    ['ENV-008'], 'fail'],
  ['X-Real-IP trusted as the client address',
    async (req, next) => next(typeof req.headers['x-real-ip'] === 'string' ? { ...req, clientIp: String(req.headers['x-real-ip']) } : req),
    ['ABAC-006'], 'warn'],
  ['the last X-Forwarded-For hop trusted as the client address',
    async (req, next) => {
      const xff = req.headers['x-forwarded-for'];
      return next(typeof xff === 'string' ? { ...req, clientIp: xff.split(',').at(-1)!.trim() } : req);
    },
    ['ABAC-006'], 'warn'],
  ['Forwarded: for= trusted as the client address',
    async (req, next) => {
      const f = /for=([^;,\s]+)/.exec(String(req.headers.forwarded ?? ''));
      return next(f ? { ...req, clientIp: f[1] } : req);
    },
    ['ABAC-006'], 'warn'],
  ['an IP allowlist of CIDRs only that admits everyone',
    async (req, next, w) => {
      const ips: string[] = w.policyOf.get(appOfReq(req, w) ?? '')?.network?.allowed_ips ?? [];
      return next(ips.length && ips.every((e) => e.includes('/')) ? { ...req, clientIp: IPV4_NET(ips[0]) } : req);
    },
    ['ABAC-001'], 'fail'],
  ['/24 CIDRs matched on their first two octets only',
    async (req, next, w) => {
      const ips: string[] = w.policyOf.get(appOfReq(req, w) ?? '')?.network?.allowed_ips ?? [];
      const sloppy = ips.find((e) => e.endsWith('/24') && e.split('.').slice(0, 2).join('.') === '127.0');
      return next(sloppy ? { ...req, clientIp: IPV4_NET(sloppy) } : req);
    },
    ['ABAC-001'], 'fail'],
  ['an IP allowlist of which only the first entry counts',
    async (req, next, w) => {
      const ips: string[] = w.policyOf.get(appOfReq(req, w) ?? '')?.network?.allowed_ips ?? [];
      return next(ips.length > 1 && ips[0] !== '127.0.0.1' ? { ...req, clientIp: '192.0.2.1' } : req);
    },
    ['ABAC-002'], 'fail'],
  ['allowed_org_ids refusing every read, whatever it lists',
    async (req, next, w) => (isAgent(req, 'transactions') && w.policyOf.get(appOfReq(req, w) ?? '')?.data?.allowed_org_ids ? refusal(403, 'agent.policy_denied') : next(req)),
    ['ABAC-003'], 'fail'],
  // The title is restored too: a server that redacts another field instead is judged by that field (ABAC-005).
  ['sensitive notes returned unredacted when they happen to contain "*"',
    async (req, next) => (isAgent(req, 'transactions')
      ? rewrite(await next(req), (b) => (b.ok ? { ...b, data: { ...b.data, items: b.data.items.map((it: any) => ({ ...it, title: 'Team lunch', notes: 'call back *urgent*' })) } } : b))
      : next(req)),
    ['ABAC-005'], 'fail'],
  ['sensitive notes redacted on the first page of a read only',
    // From page 2 on, every key's read is answered as the bootstrap key (no data policy) would be answered: unredacted.
    async (req, next, w) => {
      const page = Number(new URL(req.path, 'http://x').searchParams.get('page') ?? 1);
      return next(isAgent(req, 'transactions') && page >= 2 ? { ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } } : req);
    },
    ['ABAC-005'], 'fail'],
  // The own tenant's container listing shows another tenant's ledger (the other tenant's key lists none here).
  ['a container listing that also shows another tenant\'s container to the tenant',
    async (req, next) => (isAgent(req, 'ledgers')
      ? rewrite(await next(req), (b) => (b.ok && b.data.items.some((it: any) => it.organization_id === 'org_demo') ? { ...b, data: { ...b.data, items: [...b.data.items, { id: 'ledger_other', name: 'Other Tenant Ledger', organization_id: 'org_other' }] } } : b))
      : next(req)),
    ['TENANT-001'], 'fail'],
  ['a rate limit that only GET requests are subject to',
    async (req, next) => {
      const res = await next(req);
      return req.method === 'POST' && res.status === 429 && req.path.startsWith(`${AGENT_BASE}/`) ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'custom', path: [], message: 'x' }] }) : res;
    },
    ['ADM-001'], 'fail'],
  ['a rate limit only the create is subject to (other writes past the limit are served)',
    async (req, next) => {
      const res = await next(req);
      const other = (isAgent(req, 'preflight') || isAgent(req, 'actions')) && actionOf(req) !== 'transaction.create';
      return res.status === 429 && other ? next({ ...req, clientIp: '127.0.0.9' }) : res;
    },
    ['ADM-001'], 'fail'],
  ['writes other than the create refused with 429 that still take effect',
    async (req, next) => {
      const res = await next(req);
      const other = (isAgent(req, 'preflight') || isAgent(req, 'actions')) && actionOf(req) !== 'transaction.create';
      if (res.status === 429 && other) await next({ ...req, clientIp: '127.0.0.9' });
      return res;
    },
    ['ADM-002'], 'fail'],
  // Served on 127.0.0.1, the run's second address is 127.0.0.2: a limiter that hears every client as one.
  ['a rate limit per key alone, whatever the client address',
    async (req, next) => next({ ...req, clientIp: '127.0.0.1' }),
    ['ADM-004'], 'fail'],
  ['preflights left out of the audit trail',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.filter((e: any) => !String(e.action).includes('preflight')) } }))
      : next(req)),
    ['AUDIT-001'], 'fail'],
  ['data-policy (ledger) denials left out of the audit trail',
    async (req, next, w) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.filter((e: any) => !(e.status === 'denied' && w.policyOf.get(e.app_id)?.data?.allowed_ledger_ids)) } }))
      : next(req)),
    ['AUDIT-002'], 'fail'],
  ['missing-draft requests left out of the audit trail',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.filter((e: any) => e.code !== 'agent.draft_not_found') } }))
      : next(req)),
    ['AUDIT-003'], 'warn'],
  ['a cache in front of GET /drafts/{id} answering a key its earlier 200, after revocation too',
    async (req, next, w) => {
      if (req.method !== 'GET' || !req.path.startsWith(`${AGENT_BASE}/drafts/`)) return next(req);
      const cache: Map<string, RuntimeResponse> = (w.memo.drafts ??= new Map());
      const key = `${String(req.headers.authorization)} ${req.path}`;
      const res = cache.get(key) ?? (await next(req));
      if (res.status === 200) cache.set(key, res);
      return res;
    },
    ['AUTHN-004'], 'fail'],
  ['max_days enforced only when both dates are given (a start alone reads every row)',
    async (req, next, w) => {
      const q = new URL(req.path, 'http://x').searchParams;
      const bounded = w.policyOf.get(appOfReq(req, w) ?? '')?.data?.max_days !== undefined;
      return next(isAgent(req, 'transactions') && bounded && q.has('startDate') && !q.has('endDate') ? { ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } } : req);
    },
    ['ABAC-004'], 'fail'],
  ['the tenant boundary checked on the first page only',
    async (req, next, w) => {
      const later = isAgent(req, 'transactions') && Number(new URL(req.path, 'http://x').searchParams.get('page') ?? '1') > 1;
      return next(later ? { ...req, headers: { ...req.headers, authorization: `Bearer ${w.bootstrapToken}` } } : req);
    },
    ['TENANT-001'], 'fail'],
  ['the payload of update drafts written into their audit events, sensitive notes included (create drafts\' events carry none)',
    async (req, next) => {
      const res = await next(req);
      if (!req.path.startsWith(`${ADMIN_BASE}/audit`) || res.status !== 200) return res;
      const body = parse(res.body);
      const payloadOf = async (id: string) => parse((await next({ ...req, path: `${ADMIN_BASE}/drafts/${id}` })).body)?.data?.draft;
      const items = await Promise.all(body.data.items.map(async (e: any) => {
        const draft = e.action === 'agent.action.draft.created' && e.draft_id ? await payloadOf(e.draft_id) : undefined;
        return draft?.action_type === 'transaction.update' ? { ...e, details: { ...e.details, payload: draft.payload } } : e;
      }));
      return json(200, { ...body, data: { ...body.data, items } });
    },
    ['AUDIT-004'], 'fail'],
  ['a refused (revoked) token written into its audit event',
    async (req, next, w) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({
        ...b,
        data: { ...b.data, items: b.data.items.map((e: any) => (e.code === 'agent.token_invalid' && w.refused.has(e.app_id) ? { ...e, details: { ...e.details, presented: w.refused.get(e.app_id)![0] } } : e)) },
      }))
      : next(req)),
    ['AUDIT-004'], 'fail'],
  ['an admin bearer token echoed in error bodies',
    async (req, next, w) => {
      const res = await next(req);
      return res.status >= 400 ? rewrite(res, (b) => ({ ...b, message: `${b.message} (server admin ${w.adminAuth})` })) : res;
    },
    ['ENV-005'], 'fail'],
];

/** Choices the brief allows that the checks used to flag: [choice, edit, ids, options]. */
const ALLOWED: [string, Edit | undefined, string[], Options?][] = [
  // §4's execution reply with a failed execution (nothing ran): the boundary held where the write would touch the row.
  ['another tenant\'s execute: true answered as an execution that failed (200, status executed, execution failed)',
    async (req, next) => {
      const res = await next(req);
      const sent = isAgent(req, 'actions') ? parse(text(req.body) || '{}') : undefined;
      return sent?.execute === true && res.status === 403 && parse(res.body)?.code === 'agent.policy_denied'
        ? json(200, { ok: true, code: 'common.success', data: { status: 'executed', draft: { id: 'drf_conform_failed', status: 'failed' }, execution: { id: 'exe_conform_failed', status: 'failed', error: { code: 'agent.policy_denied' } } } })
        : res;
    },
    ['TENANT-004'], { profile: 'state-witness' }],
  // §6 fixes no form for a redacted value: an object marker carries none of the original.
  ['sensitive fields redacted as {"redacted": true}',
    async (req, next, w) => (isAgent(req, 'transactions') && w.policyOf.get(appOfReq(req, w) ?? '')?.data?.allow_sensitive_fields === false
      ? rewrite(await next(req), (b) => (b.ok ? { ...b, data: { ...b.data, items: b.data.items.map((it: any) => ({ ...it, notes: it.notes === null ? { redacted: true } : it.notes })) } } : b))
      : next(req)),
    ['ABAC-005']],
  // §3 names page and pageSize, not where pages start: a server counting them from 0 (page p is the runtime's p + 1).
  ['paged reads counting pages from 0',
    async (req, next) => {
      const u = new URL(req.path, 'http://x');
      if (!isAgent(req, 'transactions')) return next(req);
      const page = Number(u.searchParams.get('page') ?? 0);
      u.searchParams.set('page', String(page + 1));
      return rewrite(await next({ ...req, path: `${u.pathname}${u.search}` }), (b) => (b.ok ? { ...b, data: { ...b.data, page, hasMore: (page + 1) * b.data.pageSize < b.data.total } } : b));
    },
    ['ENV-006', 'TENANT-001', 'ABAC-005']],
  // "pageSize ≤ 200" (§3): a larger one may be clamped rather than refused.
  ['a pageSize over 200 clamped to 200',
    async (req, next) => {
      const u = new URL(req.path, 'http://x');
      if (!isAgent(req, 'transactions') || Number(u.searchParams.get('pageSize')) <= 200) return next(req);
      u.searchParams.set('pageSize', '200');
      return next({ ...req, path: `${u.pathname}${u.search}` });
    },
    ['ENV-006']],
  // The brief bounds pageSize from above only (≤ 200): a server may refuse a page size it does not offer.
  ['paged reads refusing a pageSize below 5 (ABAC-005 reads again in small pages)',
    async (req, next) => {
      const size = new URL(req.path, 'http://x').searchParams.get('pageSize');
      return isAgent(req, 'transactions') && size !== null && Number(size) < 5 ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'too_small', path: ['pageSize'], message: 'pageSize must be at least 5' }] }) : next(req);
    },
    ['ABAC-005', 'ENV-006']],
  // §6 bounds the width of a range; a lone start read as [start, start + max_days] is a window of that width.
  ['under max_days, a lone start read as the window [start, start + max_days]',
    async (req, next, w) => {
      const u = new URL(req.path, 'http://x');
      const days = w.policyOf.get(appOfReq(req, w) ?? '')?.data?.max_days;
      const start = u.searchParams.get('startDate');
      if (!isAgent(req, 'transactions') || days === undefined || start === null || u.searchParams.has('endDate')) return next(req);
      u.searchParams.set('endDate', new Date(Date.parse(start) + days * 86_400_000).toISOString().slice(0, 10));
      return next({ ...req, path: `${u.pathname}?${u.searchParams}` });
    },
    ['ABAC-004']],
  ['every reply declaring Content-Encoding: identity (no coding at all)',
    async (req, next) => {
      const res = await next(req);
      return { ...res, headers: { ...res.headers, 'content-encoding': 'identity' } };
    },
    ['ENV-011']],
  ["another tenant's preflight of a create answered 200 with an impact that discloses nothing",
    async (req, next, w) => {
      const app = appOfReq(req, w);
      if (!isAgent(req, 'preflight') || actionOf(req) !== 'transaction.create' || !app || w.orgOf.get(app) === 'org_demo') return next(req);
      return json(200, { ok: true, code: 'common.success', data: { action: 'transaction.create', risk: 'medium', requiresConfirmation: true, impact: { summary: 'Low impact action' }, impactHash: '0'.repeat(64), preflightId: 'pfl_review' } });
    },
    ['TENANT-003']],
  ["another tenant's write drafted (pending, nothing disclosed, nothing run)",
    async (req, next, w) => {
      const app = appOfReq(req, w);
      if (!isAgent(req, 'actions') || !app || w.orgOf.get(app) === 'org_demo') return next(req);
      return json(200, { ok: true, code: 'common.success', data: { status: 'draft', draft: { id: 'drf_review', status: 'draft' }, autoExecuteDeniedCode: null } });
    },
    ['TENANT-003']],
  ['an admin plane answering 403 agent.forbidden, or 404 for ids it does not know, without credentials',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/`) && req.headers.authorization === undefined
      ? (/_conform_missing/.test(req.path) ? refusal(404, 'agent.not_found') : refusal(403, 'agent.forbidden'))
      : next(req)),
    ['ENV-007']],
  ['a lenient parser that accepts a byte-order mark and a text/plain body',
    async (req, next) => next(typeof req.body === 'string' && req.body.startsWith('\uFEFF') ? { ...req, body: req.body.slice(1) } : req),
    ['ENV-008']],
  ['a malformed body answered 415 or 413 with the envelope',
    async (req, next) => (req.method !== 'GET' && req.headers['content-type'] === 'text/plain' ? refusal(415, 'common.validation', 'Unsupported content type') : next(req)),
    ['ENV-008']],
  ['a fail-closed approval that leaves the draft confirmed (nothing ran)', undefined, ['WITNESS-003'], { faults: ['witness-confirms-on-refusal'], profile: 'state-witness' }],
  ['an audit log that records no client ip (ABAC-002 learns it from the loopback connection)',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.map((e: any) => ({ ...e, ip: null })) } }))
      : next(req)),
    ['ABAC-001', 'ABAC-002']],
  ['key creation answered 201 Created', undefined, ['AUTHN-005', 'AUTHN-006', 'AUDIT-003', 'AUDIT-004'], { variants: ['created-201'] }],
  // The default runtime answers the brief's 403 scope_denied; hiding the tool as unknown is the other choice.
  ['a hidden tool answered exactly like an unknown one (400 action_unknown)', undefined, ['DISC-003', 'AUTHZ-002'], { variants: ['hidden-tool-unknown'] }],
  ['POST actions {} answered 400 agent.action_invalid',
    async (req, next) => (isAgent(req, 'actions') && text(req.body) === '{}' ? refusal(400, 'agent.action_invalid') : next(req)),
    ['ENV-001']],
  ['a strict query validator refusing unknown parameters (orgId, org_id, tenantId)',
    async (req, next) => (/[?&](orgId|org_id|tenantId)=/.test(req.path) ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'unrecognized_keys', path: [], message: 'unknown query parameter' }] }) : next(req)),
    ['TENANT-002']],
  ['payload validation before the scope check, for tools without a sample payload',
    async (req, next) => {
      const res = await next(req);
      return ['transaction.hard_delete', 'transactions.export_csv'].includes(actionOf(req)) && res.status >= 400
        ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'unrecognized_keys', path: ['payload'], message: 'unexpected field' }] })
        : res;
    },
    // The demo description samples every write tool; this target leaves the two without, so AUTHZ-002 guesses.
    ['AUTHZ-002'], { targetYaml: 'writes:\n  others: []\n' }],
  ['dates accepted only as full ISO 8601 timestamps',
    async (req, next) => (/[?&](startDate|endDate)=\d{4}-\d{2}-\d{2}(&|$)/.test(req.path) ? refusal(400, 'common.validation', 'Validation failed', { issues: [{ code: 'invalid_string', path: ['startDate'], message: 'datetime expected' }] }) : next(req)),
    ['ABAC-004']],
  // Agent-plane events (they carry the client ip) written by an asynchronous sink; admin events stay synchronous.
  // Each shows 150 ms (on the clock the server and the run share) after the server first listed it.
  ['agent-plane audit events that become visible 150 ms after the response',
    async (req, next, w) => {
      if (!req.path.startsWith(`${ADMIN_BASE}/audit`)) return next(req);
      const since: Map<string, number> = (w.memo.since ??= new Map());
      const shown = (e: any) => e.ip === null || w.now() - (since.get(e.id) ?? since.set(e.id, w.now()).get(e.id)!) >= 150;
      return rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.filter(shown) } }));
    },
    ['AUDIT-001', 'AUDIT-002']],
  ['audit events without their null fields (code omitted on success)',
    async (req, next) => (req.path.startsWith(`${ADMIN_BASE}/audit`)
      ? rewrite(await next(req), (b) => ({ ...b, data: { ...b.data, items: b.data.items.map((e: any) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== null))) } }))
      : next(req)),
    ['AUDIT-001', 'AUDIT-002']],
  // A target file's own tools map may be stale: a tool the server lacks, another with different scopes.
  ['a target file whose tools map differs from the server (DISC-001 notes it)', undefined, ['DISC-001'], {
    targetYaml: `tools:
  ledger.list: { scopes: [ledger.read], risk: low, write: false }
  ledger.export: { scopes: [ledger.read], risk: low, write: false }
  transaction.list: { scopes: [transaction.read], risk: low, write: false }
  transaction.create: { scopes: [transaction.write, ledger.read], risk: medium, write: true }
  transaction.update: { scopes: [transaction.write], risk: medium, write: true }
  transaction.delete: { scopes: [transaction.delete], risk: high, write: true }
  transaction.hard_delete: { scopes: [transaction.delete], risk: high, write: true }
  transactions.export_csv: { scopes: [transaction.read, transaction.export], risk: high, write: true }
`,
  }],
  ['an operator id (x-admin-user) named in error bodies',
    async (req, next) => {
      const res = await next(req);
      return res.status >= 400 ? rewrite(res, (b) => ({ ...b, message: `${b.message} (operator conformance-operator-7)` })) : res;
    },
    ['ENV-005'], { variants: ['authors-admin'], adminHeaders: { 'x-admin-user': 'conformance-operator-7' } }],
];

describe('reviewed core checks against wrapped reference runtimes', () => {
  it('the unwrapped runtime over HTTP passes every reviewed check (the harness adds nothing)', async () => {
    const ids = [...new Set([...DEFECTS, ...ALLOWED].flatMap(([, , ids]) => ids))];
    const results = await runOn(undefined, ids, { profile: 'state-witness' });
    expectStatus(results, Object.fromEntries(ids.map((id) => [id, 'pass'])));
  }, 60_000);

  it.concurrent.each(DEFECTS)('catches %s', async (_, edit, ids, status, opts) => {
    expectStatus(await runOn(edit, ids, opts), Object.fromEntries(ids.map((id) => [id, status])));
  }, 60_000);

  it.concurrent.each(ALLOWED)('raises no alarm on %s', async (_, edit, ids, opts) => {
    expectStatus(await runOn(edit, ids, opts), Object.fromEntries(ids.map((id) => [id, 'pass'])));
  }, 60_000);

  // The limiter is per key and client IP: moving a key to a fresh address after its first 429 is what a
  // fixed window rolling over at that moment looks like.
  it.concurrent('ADM-001 and ADM-002 start again, rather than fail, when the window rolls over right after the first 429', async () => {
    const results = await runOn(async (req, next, w) => {
      const t = bearer(req) ?? '';
      w.memo.rolled ??= new Set<string>();
      const res = await next(w.memo.rolled.has(t) ? { ...req, clientIp: '127.0.0.2' } : req);
      if (res.status === 429) w.memo.rolled.add(t);
      return res;
    }, ['ADM-001', 'ADM-002']);
    for (const id of ['ADM-001', 'ADM-002']) expect(results[id], id).toMatch(/^pass .*rolled over while requests were sent past the limit; started again/);
  }, 60_000);

  // The runtime's own limiter with a 60 s window: the default proof is the countdown, not a minute's sleep.
  const MINUTE = { limit: 30, windowMs: 60_000 };
  /** Every 429 says `seconds` in Retry-After and in RateLimit (`rateLimit` overrides the latter). */
  const constantRetryAfter = (seconds: number, rateLimit = seconds): Edit => async (req, next) => {
    const res = await next(req);
    return res.status === 429 ? { ...res, headers: { ...res.headers, 'retry-after': String(seconds), ratelimit: `"default";r=0;t=${rateLimit}` } } : res;
  };

  it.concurrent('ADM-001 asks for the limit, rather than fails, when the description only guesses it (the demo default)', async () => {
    const rt = createRuntime({ rateLimit: { limit: 100_000, windowMs: 60_000 } });
    const server = await startHttpServer(rt);
    try {
      const report = await run({ url: server.url, token: rt.bootstrap.agentToken, adminHeaders: rt.adminHeaders, profile: 'core', safety: 'load', only: ['ADM-001'], seed: 11 });
      expect(report.results[0]).toMatchObject({ id: 'ADM-001', status: 'skip', message: expect.stringMatching(/no 429 after \d+ requests, at most \d+ inside one 60000 ms window \(481 prove a missing limit\).*, and the limit 240 per 60000 ms is the description's guess/) });
      expect(report.results[0].hint).toContain('extends: demo');
    } finally {
      await server.close();
      await rt.close();
    }
  }, 60_000);

  it.concurrent('ADM-003 notes that a long Retry-After counts down without waiting it out', async () => {
    const results = await runOn(undefined, ['ADM-003'], { rate: MINUTE });
    // The first Retry-After is 60 s less the time the (paced) burst took on this machine.
    expect(results['ADM-003']).toMatch(/^pass .*counts down: \d+ s, then \d+ s 1100 ms later/);
  }, 60_000);

  it.concurrent('ADM-003 accepts a Retry-After that stays the same (never too short), noting it; without waiting the pass is partial', async () => {
    // The brief asks for delta-seconds, a deterministic signal (§9), not for a countdown: 60 s of a 60 s window always suffices.
    const results = await runOn(constantRetryAfter(60), ['ADM-003'], { rate: MINUTE });
    expect(results['ADM-003']).toMatch(/^pass .*the same Retry-After \(60 s\) 1100 ms later: a constant, not a countdown/);
  }, 60_000);

  it.concurrent('ADM-003 warns on a Retry-After the RateLimit fields of the same 429 contradict', async () => {
    const results = await runOn(constantRetryAfter(3600, 1), ['ADM-003']);
    expect(results['ADM-003']).toMatch(/^warn: Retry-After \(3600 s\) contradicts the RateLimit fields/);
  }, 60_000);

  it.concurrent('ADM-003 under --wait-retry-after waits a 3 s Retry-After out and sees the key admitted again', async () => {
    const results = await runOn(undefined, ['ADM-003'], { rate: { limit: 30, windowMs: 3000 }, waitRetryAfter: true });
    expect(results['ADM-003']).toMatch(/^pass \(first 429 after \d+ requests, at most \d+ inside one \d+ ms window \(\d+ prove a missing limit\), up to \d+ in parallel, median latency \d+ ms, in \d+ ms(, \d+ requests\/s)?, each read ledger\.list \(the run's shared rate-limit window\); Retry-After: \d\)$/);
  }, 60_000);

  it.concurrent('ADM-003 under --wait-retry-after fails a key still refused after Retry-After and one more second', async () => {
    const results = await runOn(async (req, next, w) => {
      const res = await next(req);
      // Once refused, a key stays refused, whatever Retry-After promised.
      const t = bearer(req) ?? '';
      w.memo.stuck ??= new Set<string>();
      if (res.status === 429) w.memo.stuck.add(t);
      return w.memo.stuck.has(t) && res.status !== 429 ? refusal(429, 'agent.rate_limited', 'still limited') : res;
    }, ['ADM-003'], { rate: { limit: 30, windowMs: 3000 }, waitRetryAfter: true });
    expect(results['ADM-003']).toMatch(/^warn: /);
  }, 60_000);

  it.concurrent('ADM-003 under --wait-retry-after skips, rather than fails, a Retry-After longer than it may wait', async () => {
    const results = await runOn(constantRetryAfter(3600), ['ADM-003'], { waitRetryAfter: true });
    expect(results['ADM-003']).toMatch(/^skip: Retry-After is delta-seconds \(3600\), but longer than this check may wait/);
  }, 60_000);

  it.concurrent('ADM-003 allows a Retry-After rounded down by under a second', async () => {
    const results = await runOn(async (req, next) => {
      const res = await next(req);
      return res.status === 429 ? { ...res, headers: { ...res.headers, 'retry-after': '0' } } : res;
    }, ['ADM-003']);
    expect(results['ADM-003']).toMatch(/^pass/);
  }, 60_000);
});
