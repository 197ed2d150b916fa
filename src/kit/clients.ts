/**
 * Agent-plane and admin-plane clients over a `send` function (the check context's transport wrapper).
 * Clients return exchanges; only the admin provisioning methods interpret responses, because a refused
 * provisioning step means the tool could not set up its test — an error, never a finding.
 */
import { ADMIN_BASE, AGENT_BASE, type AuditEvent, type AutoExecuteConfig, type PolicyConfig } from '../protocol/types.js';
import { timestampMs } from '../protocol/schemas.js';
import { ToolError, type AdminClient, type AgentClient, type CreatedApp, type Exchange, type HttpExchangeRequest, type RequestSpec } from './check.js';
import { describe } from './expect.js';
import type { ReadArgs, ReadRoute } from './target.js';
import { USER_AGENT } from './paths.js';

export type Send = (req: HttpExchangeRequest) => Promise<Exchange>;

/** Build the wire request: defaults first, then the caller's headers (case-insensitive override). */
export function toRequest(spec: RequestSpec, defaults: Record<string, string>, base: string): HttpExchangeRequest {
  const body = spec.rawBody ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body));
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...defaults };
  if (body !== undefined) headers['content-type'] = 'application/json';
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers[k.toLowerCase()] = v;
  const path = spec.path.startsWith('/') ? spec.path : `${base}/${spec.path}`;
  return { method: spec.method.toUpperCase(), path, headers, ...(body === undefined ? {} : { body }), ...(spec.bulk ? { bulk: true as const } : {}) };
}

function query(q: Record<string, string | number | boolean | undefined> | undefined): string {
  if (!q) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/**
 * The HTTP binding's agent client. Checks ask for what they need in the protocol's words (the manifest, a
 * read tool with arguments, a preflight, an action, a draft); only this client knows routes and wire details.
 * `request` is the escape hatch for checks about the HTTP binding itself (headers, raw bodies, methods).
 */
export function createAgentClient(send: Send, token: string | undefined, reads: readonly ReadRoute[] = []): AgentClient {
  const defaults: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
  const request = (spec: RequestSpec) => send(toRequest(spec, defaults, AGENT_BASE));
  return {
    token,
    manifest: () => request({ method: 'GET', path: `${AGENT_BASE}/manifest` }),
    read: (tool, q, headers) => request({ method: 'GET', path: readPath(reads, tool, q), ...(headers ? { headers } : {}) }),
    preflight: (action, payload) => request({ method: 'POST', path: `${AGENT_BASE}/preflight`, body: { action, payload } }),
    actions: (body) => request({ method: 'POST', path: `${AGENT_BASE}/actions`, body }),
    draft: (id) => request({ method: 'GET', path: `${AGENT_BASE}/drafts/${encodeURIComponent(id)}` }),
    request,
  };
}

/** The HTTP route of read tool `tool` with its default query and `q` (later keys win). */
export function readPath(reads: readonly ReadRoute[], tool: string, q?: ReadArgs): string {
  const { path, args } = readCall(reads, tool, q);
  return `${path}${query(args)}`;
}

/** Read tool `tool`'s route (without query) and its arguments: inline query, defaults, then `q` (later keys win). */
export function readCall(reads: readonly ReadRoute[], tool: string, q?: ReadArgs): { path: string; args: ReadArgs } {
  const r = reads.find((x) => x.tool === tool);
  if (!r) throw new ToolError(`the target description has no read route for tool "${tool}" (add it to reads:)`, 2);
  const [path, inline] = r.path.split('?', 2);
  const base = inline ? Object.fromEntries(new URLSearchParams(inline)) : {};
  return { path: path!, args: { ...base, ...r.query, ...q } };
}

/** Called by the admin client so the run can clean up and redact what checks provision. */
export interface AdminHooks {
  /**
   * The name an app is created under, told before its POST /apps is sent (the run marks its apps, so that it
   * can find and revoke one whose create answer it never saw).
   */
  appName?(name: string): string;
  /** The POST /apps answered (whatever it said). */
  createAnswered?(): void;
  appCreated?(app: CreatedApp): void;
  appRevoked?(appId: string): void;
  /** A token issued by the admin plane (app creation, key creation). */
  secret?(token: string): void;
  /** Where reads of an oldest-first audit listing resume: one per run, shared by the admin clients of its checks. */
  auditReads?: AuditReads;
}

/**
 * Where the reads of an oldest-first audit listing start, by appId (or for every app, where the listing ignores
 * appId): the page before the first one that holds an event of an app of this run (`ours`). The pages before it
 * are the server's history before the run, which no check looks for, so a read grows with what the run did, not
 * with that history. `first`: the run's first read, which finds that page; reads that start while it runs wait
 * for it rather than each walk the whole history.
 */
export class AuditReads {
  /** The cursor a read starts at, and the id of the first event its page held (a cursor that now means another page starts over). */
  readonly resume = new Map<string, ResumePoint>();
  first: Promise<unknown> | undefined;
  /**
   * Where the reads of an app created after the last read of a listing that ignores appId may start (startBefore):
   * near where that read ended, not at the run's first event.
   */
  end: ResumePoint | undefined;
  /** The `end` as it was when each app of this run was asked for (its POST /apps sent). */
  readonly since = new Map<string, ResumePoint>();
  /** Each app's creation time (created_at of its POST /apps answer, the server's clock), where the answer gives one. */
  readonly born = new Map<string, number>();
  /** Apps whose last read may have left events out, and why (AdminClient.auditCutShort). */
  readonly cutShort = new Map<string, string>();
  constructor(readonly ours: (appId: string) => boolean = () => false) {}
}

/** A cursor of an oldest-first listing and the id of the first event its page held (a cursor that now names another page starts over). */
interface ResumePoint { cursor: string; anchor: unknown }

function refused(what: string, ex: Exchange): ToolError {
  const j = ex.response.json as { message?: unknown } | undefined;
  const msg = typeof j?.message === 'string' ? ` "${j.message.slice(0, 120)}"` : '';
  return new ToolError(`admin plane refused ${what}: ${describe(ex)}${msg}`, 'OPC_E_ADMIN_REFUSED');
}

/** Whether `ex` is a 400 common.validation whose issues name `field` (details.issues[].path). */
function refusesField(ex: Exchange, field: string): boolean {
  const j = ex.response.json as { code?: unknown; details?: { issues?: { path?: unknown }[] } } | undefined;
  return ex.response.status === 400 && j?.code === 'common.validation' && (j.details?.issues ?? []).some((i) => Array.isArray(i?.path) && i.path.includes(field));
}

function ok2xx(ex: Exchange): boolean {
  return ex.response.status >= 200 && ex.response.status < 300;
}

/** `data` of a success envelope, or undefined: for branching on a response that need not succeed. */
export function dataOf(ex: Exchange): any {
  const j = ex.response.json as { ok?: unknown; data?: unknown } | undefined;
  return j && j.ok === true ? j.data : undefined;
}

/** Items of a listing: `data.items` (the binding's shape) or a bare array. */
export function itemsOf(ex: Exchange): unknown[] | undefined {
  const d = dataOf(ex);
  if (Array.isArray(d)) return d;
  if (d && Array.isArray(d.items)) return d.items;
  return undefined;
}

/** Events asked for on each page of an audit read. */
const AUDIT_PAGE_SIZE = 1000;
/** Pages of a paged audit listing one read follows (AUDIT_PAGE_SIZE events each asked for): newest first, the recent events are on them. */
export const AUDIT_PAGES = 5;
/**
 * Pages one read follows of a listing that pages oldest first, where the recent events come last: beyond them
 * the read stops with a tool error (exit 3), since an event not reached is no evidence of its absence.
 */
export const AUDIT_PAGES_OLDEST_FIRST = 2000;

/**
 * A listing whose last event read is of an earlier second than its first lists newest first. One that does not
 * show it (times of one second, or missing) is followed as if oldest first: an event not reached is no evidence.
 * (Within a second the order proves nothing: a listing ordered by time to the second may order those events by id.)
 */
function newestFirst(events: readonly AuditEvent[]): boolean {
  const first = timestampMs(events[0]?.created_at);
  const last = timestampMs(events.at(-1)?.created_at);
  return first !== undefined && last !== undefined && Math.floor(last / 1000) < Math.floor(first / 1000);
}

/**
 * One read of the audit listing: its events, the cursor of each page (undefined: the first) and the index of its
 * first event, what it showed of the listing.
 */
interface AuditRead {
  events: AuditEvent[]; cursors: (string | undefined)[]; starts: number[]; oldestFirst: boolean; ignoresApp: boolean;
  /** Where the listing may hold older events this read did not reach: a full page without a cursor, or the page bound. */
  cut: string | undefined;
}
/**
 * How far behind another instance's clock may be (NTP keeps them within a few ms): a later event may carry an
 * earlier time by this much.
 */
const SKEW_MS = 100;

/**
 * Pauses between re-reads of an audit trail that does not yet show what a check looks for (auditUntil in
 * helpers.ts): about five seconds in all. The brief does not say when an event becomes readable, so an
 * asynchronous audit sink is not blamed; only against a server that never records the event is the wait spent.
 */
export const AUDIT_SETTLE_MS: readonly number[] = [25, 50, 100, 200, 400, 800, 1600, 2000];

/**
 * How late after another an event made before it may become readable (a sink that stamps an event when the
 * request starts and shows it when it ends), beyond a skewed clock: a check waits AUDIT_SETTLE_MS for an event,
 * so one later still is already missing to it.
 */
const SHOWN_WITHIN_MS = AUDIT_SETTLE_MS.reduce((a, b) => a + b, 0) + SKEW_MS;

/** Whether id `a` sorts after id `b` as text and, where both are numbers, as numbers too (however a store sorts them). */
function idAfter(a: unknown, b: unknown): boolean {
  const na = typeof a === 'number' ? a : typeof a === 'string' && /^\d+$/.test(a) ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && /^\d+$/.test(b) ? Number(b) : NaN;
  return String(a) > String(b) && (!Number.isFinite(na) || !Number.isFinite(nb) || na > nb);
}

/**
 * A cursor from which a later read still sees every event that sorts with or after `read.events[at]`, and the
 * id its page must start with: the page before the first event that may sort with it. That is any event of its
 * second where the listing may be ordered by time to the second (it may order one second's events any way, by
 * id for one), else of its millisecond, and in either case `margin` earlier. A listing shows an order to the
 * millisecond by times that never go back and, within one second, ids that go down from one event to the next
 * and ids that go up (so in no id order, as text or as numbers); times to the second, or coarser, then tie
 * within theirs, all covered. None where the read is not in time order even to the second (an order by id:
 * a later event may sort anywhere), where an event has no time, where the read holds no event before that
 * window (an earlier one may sort with it too), or where the page has no id to check the cursor by.
 */
function startBefore(read: AuditRead, at: number, margin = SKEW_MS): ResumePoint | undefined {
  const times = read.events.map((e) => timestampMs(e?.created_at));
  if (times.length === 0 || times.some((t) => t === undefined)) return undefined;
  const second = (i: number) => Math.floor(times[i]! / 1000);
  // Not in time order even to the second (SKEW_MS allowed): the listing is in some other order (an id's), and no
  // page of it is known to come after another's events.
  if (!times.every((t, i) => i === 0 || t! >= second(i - 1) * 1000 - SKEW_MS)) return undefined;
  // In one second, ids that go down from one event to the next and ids that go up: in no id order either way.
  const downs = new Set<number>();
  const ups = new Set<number>();
  for (let i = 1; i < times.length; i++) {
    if (second(i) !== second(i - 1)) continue;
    if (idAfter(read.events[i - 1]?.id, read.events[i]?.id)) downs.add(second(i));
    else if (idAfter(read.events[i]?.id, read.events[i - 1]?.id)) ups.add(second(i));
  }
  const byMs = times.every((t, i) => i === 0 || t! >= times[i - 1]!) && [...downs].some((sec) => ups.has(sec));
  const from = (byMs ? times[at]! : Math.floor(times[at]! / 1000) * 1000) - margin;
  const first = times.findIndex((t) => t! >= from);
  if (first <= 0) return undefined;
  const page = Math.max(0, read.starts.filter((s) => s <= first).length - 2);
  const cursor = read.cursors[page];
  const anchor = read.events[read.starts[page]!]?.id;
  return cursor !== undefined && anchor !== undefined ? { cursor, anchor } : undefined;
}

/** The resume point of a listing that ignores appId: one for every app. */
const EVERY_APP = '\u0000every app';

export function createAdminClient(send: Send, adminHeaders: Record<string, string>, hooks: AdminHooks = {}): AdminClient {
  const defaults: Record<string, string> = {};
  for (const [k, v] of Object.entries(adminHeaders)) defaults[k.toLowerCase()] = v;
  const request = (spec: RequestSpec) => send(toRequest(spec, defaults, ADMIN_BASE));
  const app = (id: string) => `${ADMIN_BASE}/apps/${encodeURIComponent(id)}`;
  const draftPath = (id: string) => `${ADMIN_BASE}/drafts/${encodeURIComponent(id)}`;

  /** A provisioning step: non-2xx is a tool error naming the step. */
  async function provision(spec: RequestSpec, what: string): Promise<Exchange> {
    const ex = await request(spec);
    if (!ok2xx(ex)) throw refused(what, ex);
    return ex;
  }

  const reads = hooks.auditReads ?? new AuditReads();
  const { resume } = reads;

  /** `anchor`: the id the first event of the first page must have (a resumed read); undefined when it does not. */
  async function readAudit(appId: string, start: string | undefined, anchor?: unknown): Promise<AuditRead | undefined> {
    let events: AuditEvent[] = [];
    const cursors: (string | undefined)[] = [];
    const starts: number[] = [];
    let cursor = start;
    let cut: string | undefined;
    for (let page = 1; ; page++) {
      cursors.push(cursor);
      starts.push(events.length);
      const ex = await provision({ method: 'GET', path: `${ADMIN_BASE}/audit${query({ appId, limit: AUDIT_PAGE_SIZE, ...(cursor ? { cursor } : {}) })}`, bulk: true }, 'GET /audit');
      const items = itemsOf(ex);
      if (!items) throw new ToolError(`admin plane answered GET /audit without data.items: ${describe(ex)}`, 3);
      if (page === 1 && start !== undefined && (items[0] as AuditEvent | undefined)?.id !== anchor) return undefined;
      // (concat, not push(...items): a long history holds more events than a call has arguments)
      events = events.concat(items as AuditEvent[]);
      const next = (ex.response.json as { data?: { nextCursor?: unknown } } | undefined)?.data?.nextCursor;
      // An empty page with a cursor is followed too (a page of events not yet shown); the bounds below stop the read.
      if (typeof next !== 'string' || next === '' || next === cursor) {
        // Exactly the page asked for and no way on: a listing capped at it (one that lists its whole history answers more).
        if (items.length === AUDIT_PAGE_SIZE) cut = `answered ${AUDIT_PAGE_SIZE} events, as many as asked for, and no data.nextCursor`;
        break;
      }
      cursor = next;
      if (page >= AUDIT_PAGES && newestFirst(events)) {
        cut = `had more pages, newest first, after the ${AUDIT_PAGES} a read follows`;
        break;
      }
      if (page >= AUDIT_PAGES_OLDEST_FIRST) {
        throw new ToolError(`GET /audit lists its events oldest first and had more after ${page} pages (${events.length} events): this run's events lie beyond what a read follows, so their absence cannot be judged (list newest first, honour appId, or answer larger pages)`, 3);
      }
    }
    // (A read that resumed at a cursor follows a listing found oldest first, however few pages it read.)
    return {
      events, cursors, starts, oldestFirst: (cursors.length > 1 || start !== undefined) && !newestFirst(events),
      ignoresApp: events.some((e) => typeof e?.app_id === 'string' && e.app_id !== appId), cut,
    };
  }

  return {
    async createApp(spec) {
      const name = hooks.appName?.(spec.name) ?? spec.name;
      const body = spec.scope === 'personal'
        ? { scope: 'personal', name, org_id: spec.orgId, user_id: spec.userId, scopes: spec.scopes }
        : { scope: 'workspace', name, org_id: spec.orgId, service_user_id: spec.serviceUserId, scopes: spec.scopes };
      // Every event of the app comes after what a read answered before it was asked for (reads.end).
      const since = reads.end;
      // A create that throws instead (timeout, interrupt) may still have made the app: it stays unanswered.
      let ex = await request({ method: 'POST', path: `${ADMIN_BASE}/apps`, body });
      // A server that checks service users against its directory refuses the one the tool names (§3: the field is
      // optional): the app is asked for again without it, and the service user the server gives it is read from
      // the answer (serviceUserOf in helpers.ts).
      if (body.scope === 'workspace' && refusesField(ex, 'service_user_id')) {
        const { service_user_id: _named, ...rest } = body;
        ex = await request({ method: 'POST', path: `${ADMIN_BASE}/apps`, body: rest });
      }
      hooks.createAnswered?.();
      if (!ok2xx(ex)) throw refused(`POST /apps (${spec.name})`, ex);
      const d = dataOf(ex);
      const appId = d?.app?.id, keyId = d?.key?.id, token = d?.token;
      if (typeof appId !== 'string' || typeof keyId !== 'string' || typeof token !== 'string') {
        throw new ToolError(`admin plane answered POST /apps without data.app.id, data.key.id and data.token: ${describe(ex)}`, 3);
      }
      if (since) reads.since.set(appId, since);
      const born = timestampMs(d.app.created_at);
      if (born !== undefined) reads.born.set(appId, born);
      const created: CreatedApp = { appId, keyId, token, orgId: typeof d.app.org_id === 'string' ? d.app.org_id : spec.orgId, raw: d };
      hooks.secret?.(token);
      hooks.appCreated?.(created);
      return created;
    },
    async createKey(appId, opts = {}) {
      const spec = { method: 'POST', path: `${app(appId)}/keys`, body: { name: opts.name, expiresAt: opts.expiresAt } };
      const ex = opts.refusable ? await request(spec) : await provision(spec, `POST /apps/${appId}/keys`);
      const token = dataOf(ex)?.token;
      if (typeof token === 'string') hooks.secret?.(token);
      return ex;
    },
    async revokeApp(appId) {
      const ex = await provision({ method: 'POST', path: `${app(appId)}/revoke`, body: {} }, `POST /apps/${appId}/revoke`);
      hooks.appRevoked?.(appId);
      return ex;
    },
    revokeKey: (keyId) => provision({ method: 'POST', path: `${ADMIN_BASE}/keys/${encodeURIComponent(keyId)}/revoke`, body: {} }, `POST /keys/${keyId}/revoke`),
    setPolicy: (appId, policy: PolicyConfig) => provision({ method: 'PATCH', path: `${app(appId)}/policy`, body: policy }, `PATCH /apps/${appId}/policy`),
    setAutoExecute: (appId, cfg: AutoExecuteConfig) => provision({ method: 'PATCH', path: `${app(appId)}/auto-execute`, body: cfg }, `PATCH /apps/${appId}/auto-execute`),
    drafts: (q = {}) => provision({ method: 'GET', path: `${ADMIN_BASE}/drafts${query(q)}` }, 'GET /drafts'),
    draft: (id) => request({ method: 'GET', path: draftPath(id) }),
    approve: (id, note) => request({ method: 'POST', path: `${draftPath(id)}/approve`, body: note === undefined ? {} : { note } }),
    reject: (id, note) => request({ method: 'POST', path: `${draftPath(id)}/reject`, body: note === undefined ? {} : { note } }),
    audit(appId, opts = {}) {
      const thorough = opts.thorough === true;
      if (reads.first === undefined) {
        const read = auditOnce(appId, thorough);
        reads.first = read;
        return read;
      }
      return reads.first.catch(() => undefined).then(() => auditOnce(appId, thorough));
    },
    auditCutShort: (appId) => reads.cutShort.get(appId),
    request,
  };

  async function auditOnce(appId: string, thorough: boolean): Promise<AuditEvent[]> {
    // A long-lived server's whole audit history can come back on every read (servers may ignore appId): the
    // journal keeps a digest and a sample of a successful listing, so its size never decides the verdict.
    // A server that pages its audit listing (data.nextCursor) is followed, newest first, for a bounded number
    // of pages: the events a check looks for are recent, and the read never grows with the server's history.
    // Oldest first, the recent events come last: the pages are followed to the end, up to a bound the
    // verdict never rests beyond (a tool error, exit 3), and later reads start nearer the end (AuditReads,
    // startBefore).
    // An app of this run created after a read of a listing that ignores appId: from where that read ended.
    const since = thorough ? undefined : reads.since.get(appId);
    let read = since && (await readAudit(appId, since.cursor, since.anchor).catch(() => undefined));
    if (since && read === undefined) reads.since.delete(appId);
    const point = resume.get(EVERY_APP) ?? resume.get(appId);
    if (read === undefined && point !== undefined) {
      read = await readAudit(appId, point.cursor, point.anchor).catch(() => undefined);
      // A cursor the server no longer honours, or that now names another page (a window that slid): start over.
      if (read === undefined) {
        resume.delete(EVERY_APP);
        resume.delete(appId);
      }
    }
    read ??= (await readAudit(appId, undefined))!;
    // Every event of an app created from now on is made after the last one this read saw.
    if (read.oldestFirst && read.ignoresApp) reads.end = startBefore(read, read.events.length - 1) ?? reads.end;
    // Found once: where a read sees every event of this run (startBefore its first). None yet (a sink that shows them late):
    // not now, a later read finds it.
    if (point === undefined && read.cursors[0] === undefined && read.oldestFirst) {
      const first = read.events.findIndex((e) => typeof e?.app_id === 'string' && reads.ours(e.app_id));
      // The first event of this run that was readable need not be its first made: one made earlier may show later.
      const start = first >= 0 ? startBefore(read, first, SHOWN_WITHIN_MS) : undefined;
      if (start) resume.set(read.ignoresApp ? EVERY_APP : appId, start);
    }
    // A read cut short still holds every event of the app when it reaches back past the app's creation (a
    // second and a skewed clock earlier, as a listing to the second may order that second's events any way).
    const born = reads.born.get(appId);
    const reached = read.events.reduce((min, e) => Math.min(min, timestampMs(e?.created_at) ?? Infinity), Infinity);
    if (read.cut !== undefined && !(born !== undefined && reached < born - 1000 - SKEW_MS)) reads.cutShort.set(appId, read.cut);
    else reads.cutShort.delete(appId);
    // Servers may ignore the appId query; the filter here is what makes the result per-app.
    return read.events.filter((e) => e && e.app_id === appId);
  }
}
