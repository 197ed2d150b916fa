/**
 * Helpers for checks that need the target's state: read a resource back, list an app's drafts, count its
 * executions, read its audit trail, fill payload templates. Set-up failures are ToolErrors (the check
 * errors), never Findings: these helpers observe, the checks judge.
 */
import type { AuditEvent, Draft } from '../protocol/types.js';
import { ADMIN_BASE } from '../protocol/types.js';
import { Skip, ToolError, type AgentClient, type CheckContext, type CreatedApp, type Exchange, type Persona } from './check.js';
import { AUDIT_SETTLE_MS, itemsOf } from './clients.js';
import { describe } from './expect.js';
import type { ResolvedTarget, WriteEffect, WriteSample } from './target.js';
import { isDeepStrictEqual } from 'node:util';

/** Pages read at most per read-back, so a target with a huge table cannot stall a check. */
export const MAX_PAGES = 25;

type Row = Record<string, unknown>;

/**
 * The rows of the target's read-back (all pages, bounded), each id once, or with `id` the one row with that id
 * (undefined when absent).
 *
 * A listing read over several requests can be torn by the writes between them (other checks run beside this
 * one, and a server may page by offset): a row inserted ahead pushes another onto the next page, where it is
 * read twice; a row removed ahead pulls one back onto a page already read, where it is missed. So rows count
 * once by their id, and a row sought that a listing of several pages did not show is sought in a second
 * pass before it is called absent (a row missed by both was missed by two tears in a row).
 */
export async function readBack(ctx: CheckContext, client: AgentClient): Promise<Row[]>;
export async function readBack(ctx: CheckContext, client: AgentClient, id: string): Promise<Row | undefined>;
export async function readBack(ctx: CheckContext, client: AgentClient, id?: string): Promise<Row[] | Row | undefined> {
  const first = await readPass(ctx, client, id);
  if (id === undefined) return distinctRows(ctx, first.rows);
  return first.hit || first.pages === 1 ? first.hit : (await readPass(ctx, client, id)).hit;
}

/**
 * The read-back's rows whose fields carry `mark`, each id once. Fewer than `expected` after a listing of
 * several pages: a second pass adds the rows it missed (readBack says why).
 */
export async function readMarked(ctx: CheckContext, client: AgentClient, mark: string, expected: number): Promise<Row[]> {
  const marked = (rows: Row[]) => rows.filter((r) => JSON.stringify(r).includes(mark));
  const first = await readPass(ctx, client, undefined);
  const found = marked(distinctRows(ctx, first.rows));
  if (found.length >= expected || first.pages === 1) return found;
  return marked(distinctRows(ctx, first.rows, (await readPass(ctx, client, undefined)).rows));
}

/** One pass over the read-back's pages (bounded); with `id`, it stops at that row. */
async function readPass(ctx: CheckContext, client: AgentClient, id: string | undefined): Promise<{ rows: Row[]; pages: number; hit?: Row }> {
  const { tool, query, itemsField, idField } = ctx.target.readBack;
  const rows: Row[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    // The listing holds the server's whole history, which is no evidence of this run: its pages are bulk traffic
    // (the journal keeps a success page as a sample and digest, as it does the audit listing), and a long one,
    // read on the key the check just wrote with, may meet its rate limit: then it is read more slowly, not blocked.
    const ex = await ctx.bulk(() => ctx.outwaitRateLimit(() => client.read(tool, page === 1 ? query : { ...query, page })));
    const j = ex.response.json as { ok?: unknown; data?: Record<string, unknown> } | undefined;
    const items = j?.ok === true ? j.data?.[itemsField] : undefined;
    if (ex.response.status !== 200 || !Array.isArray(items)) {
      throw new ToolError(`read-back ${tool} (GET ${ex.request.path}) failed: ${describe(ex)} (target.readBack must list data.${itemsField}[])`);
    }
    rows.push(...(items as Row[]));
    const hit = id === undefined ? undefined : rows.find((r) => r?.[idField] === id);
    if (hit) return { rows, pages: page, hit };
    if (j?.data?.hasMore !== true || items.length === 0) return { rows, pages: page };
  }
  // Saying "absent" or "no such row" after a partial listing would let a zero-count assertion pass unseen.
  throw new ToolError(`read-back stopped after ${MAX_PAGES} pages of ${tool} with more to come; point target.readBack at a narrower listing`);
}

/**
 * The rows of the first pass, each id once, then those of the second pass whose id the first did not list. A
 * row without an id cannot be told from another: the first pass's are all kept, the second's add nothing.
 */
function distinctRows(ctx: CheckContext, first: readonly Row[], second: readonly Row[] = []): Row[] {
  const { idField } = ctx.target.readBack;
  const seen = new Set<unknown>();
  const once = (r: Row, keepIdless: boolean) => {
    const key = r?.[idField];
    if (key === undefined || key === null || typeof key === 'object') return keepIdless;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  return [...first.filter((r) => once(r, true)), ...second.filter((r) => once(r, false))];
}

/** Has the write whose effect is `effect` visibly run on `row` (the read-back of its resource, undefined when absent)? */
export function showsEffect(effect: WriteEffect | undefined, row: Row | undefined): boolean {
  if (!effect) throw new ToolError('the target description gives the high-risk write no effect (writes.highRisk.effect): a check cannot tell whether it ran', 2);
  if (row === undefined) return effect.absent === true;
  return effect.field !== undefined && isDeepStrictEqual(row[effect.field], effect.equals);
}

/**
 * The create sample carrying `mark` in its free-text slot: the "$random" placeholder when the target's
 * payload has one, else a `title` field it already has. Undefined when it has neither (nothing to mark).
 */
export function markedCreate(t: ResolvedTarget, mark: string): Record<string, unknown> | undefined {
  const { payload } = t.writes.create;
  if (JSON.stringify(payload).includes('"$random"')) return fillPlaceholder(payload, '$random', mark);
  if (typeof payload.title === 'string') return { ...payload, title: mark };
  return undefined;
}

/** markedCreate, or a Skip naming the target-file key that makes it possible. */
export function markedCreateOrSkip(t: ResolvedTarget, mark: string): Record<string, unknown> {
  const p = markedCreate(t, mark);
  if (p) return p;
  throw new Skip(`the create sample ${t.writes.create.action} has no "$random" (or "title") field to mark what it creates`, 'give target.writes.create.payload a "$random" placeholder in a free-text field');
}

/** A data policy allowing only these containers, in the target's own field name. */
export function containerPolicy(t: ResolvedTarget, ids: string[]): Record<string, string[]> {
  return { [t.dataPolicy.containerField]: ids };
}

/** The drafts of one app via the admin plane (filtered client-side: servers may ignore appId). */
export async function listDrafts(ctx: CheckContext, appId: string, status?: string): Promise<Draft[]> {
  const all = (await listedDrafts(ctx, { appId, ...(status === undefined ? {} : { status }) })).map((l) => l.draft);
  // Filtered here too (servers may ignore the query). A listing whose items name no app cannot be filtered:
  // counting none of them would make every "no draft was created" assertion pass unseen.
  if (all.length > 0 && all.every((d) => !d || typeof draftAppOf(d) !== 'string')) {
    throw new ToolError(`admin GET ${ADMIN_BASE}/drafts lists drafts without app_id (or appId): cannot tell whose they are`);
  }
  return all.filter((d) => d && draftAppOf(d) === appId && (status === undefined || d.status === status));
}

/** The app a listed draft names: app_id, or appId. */
export const draftAppOf = (d: Draft & { appId?: unknown }): unknown => d.app_id ?? d.appId;

/**
 * Every draft a filtered admin listing shows, as the server filtered it, each with the exchange of its page:
 * data.nextCursor is followed (the reference runtime pages by 200), a bounded number of pages. A draft two
 * pages both list (a cursor that counts rows, and drafts created between the pages) is one draft, kept once.
 */
export async function listedDrafts(ctx: CheckContext, query: { appId?: string; status?: string }): Promise<{ draft: Draft; ex: Exchange }[]> {
  const all: { draft: Draft; ex: Exchange }[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const ex = await ctx.admin.drafts({ ...query, ...(cursor === undefined ? {} : { cursor }) });
    const items = itemsOf(ex);
    if (!items) throw new ToolError(`admin GET ${ADMIN_BASE}/drafts answered without a listing: ${describe(ex)}`);
    for (const draft of items) {
      const id = (draft as Draft | null)?.id;
      if (typeof id === 'string') {
        if (seen.has(id)) continue;
        seen.add(id);
      }
      all.push({ draft: draft as Draft, ex });
    }
    const next = (ex.response.json as { data?: { nextCursor?: unknown } } | undefined)?.data?.nextCursor;
    if (typeof next !== 'string' || next === cursor || items.length === 0) break;
    cursor = next;
  }
  return all;
}

/** Reject every draft still pending for these apps. Cleanup problems are noted, never raised over a finding. */
export async function rejectPending(ctx: CheckContext, ...appIds: string[]): Promise<void> {
  for (const appId of appIds) {
    try {
      for (const d of await listDrafts(ctx, appId, 'draft')) await ctx.admin.reject(d.id, `openport-conform ${ctx.checkId} cleanup`);
    } catch (e) {
      ctx.note(`cleanup of pending drafts of ${appId} failed: ${(e as Error).message}`);
    }
  }
}

/**
 * How many of an app's drafts have an execution. Uses the listing's `execution` field when the server
 * includes it, else the admin draft detail ({draft, execution}).
 */
export async function countExecutions(ctx: CheckContext, appId: string): Promise<number> {
  let n = 0;
  for (const d of await listDrafts(ctx, appId)) {
    if ('execution' in d) {
      if (d.execution) n++;
      continue;
    }
    const ex = await ctx.admin.draft(d.id);
    const j = ex.response.json as { ok?: unknown; data?: { execution?: unknown } } | undefined;
    if (j?.ok !== true) throw new ToolError(`admin GET /drafts/${d.id} failed: ${describe(ex)}`);
    if (j.data?.execution) n++;
  }
  return n;
}

/**
 * The audit events of one app, newest first, optionally filtered: a thorough read (AdminClient.audit), since what
 * it returns may be judged complete (an event that is not there, the events before an action).
 */
export async function auditFor(ctx: CheckContext, appId: string, predicate?: (e: AuditEvent) => boolean): Promise<AuditEvent[]> {
  const events = await ctx.admin.audit(appId, { thorough: true });
  return predicate ? events.filter(predicate) : events;
}

/**
 * The audit events of one app, re-read while `found(events)` does not hold (AUDIT_SETTLE_MS of clients.ts), then as they are;
 * the last read is thorough (AdminClient.audit): an absence is judged on the run's whole part of the listing. A
 * last read that may have left out some of the app's events (AdminClient.auditCutShort) judges no absence: a
 * tool error (exit 3).
 */
export async function auditUntil(ctx: CheckContext, appId: string, found: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]> {
  let events = await ctx.admin.audit(appId);
  for (const [i, ms] of AUDIT_SETTLE_MS.entries()) {
    if (found(events)) break;
    await ctx.windowClock.sleep(ms);
    events = await ctx.admin.audit(appId, { thorough: i === AUDIT_SETTLE_MS.length - 1 });
  }
  const cut = found(events) ? undefined : ctx.admin.auditCutShort(appId);
  if (cut !== undefined) {
    throw new ToolError(`GET /audit ${cut}, and what it showed does not reach back to app ${appId}'s creation: the events this check looks for may lie beyond it, so their absence cannot be judged (honour appId, or page the listing with data.nextCursor)`, 3);
  }
  return events;
}

/**
 * A personal app of a user of its own (§2: it acts as its user) holding `scopes`, named for `label` (a check id in
 * lower case); undefined, with a partial pass saying what went `untried`, when the admin plane refuses it: a
 * server need not offer personal apps, nor take a user id its directory does not know.
 */
export async function personalApp(ctx: CheckContext, label: string, scopes: string[], untried: string): Promise<{ app: CreatedApp; userId: string } | undefined> {
  const userId = `usr_conform_${label}_${Math.floor(ctx.random() * 1e9).toString(36)}`;
  try {
    return { app: await ctx.admin.createApp({ name: `openport-conform ${label} personal ${userId}`, scopes, orgId: ctx.target.orgId, scope: 'personal', userId }), userId };
  } catch (e) {
    if (!(e instanceof ToolError && e.code === 'OPC_E_ADMIN_REFUSED')) throw e;
    ctx.partial(`the admin plane refused to create a personal app (${e.message}): ${untried}`);
    return undefined;
  }
}

/** A copy of `value` with every string equal to `placeholder` replaced by `replacement`, at any depth. */
export function fillPlaceholder<T>(value: T, placeholder: string, replacement: string): T {
  if (value === placeholder) return replacement as T;
  if (Array.isArray(value)) return value.map((v) => fillPlaceholder(v, placeholder, replacement)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fillPlaceholder(v, placeholder, replacement)])) as T;
  }
  return value;
}

/** Whether a write sample aims at one resource ("$resourceId" in its payload). */
export function aimsAtResource(sample: WriteSample): boolean {
  return JSON.stringify(sample.payload).includes('"$resourceId"');
}

/**
 * Whether a write sample touches the tenant's data where a check can point: a resource, or the primary
 * container named in its payload. A write naming neither (a tenant-wide one) acts in whatever tenant asks.
 */
export function aimsAtTenantData(t: ResolvedTarget, sample: WriteSample): boolean {
  return aimsAtResource(sample) || JSON.stringify(sample.payload).includes(JSON.stringify(t.containers.primary));
}

/** A copy of `payload` with every "$resourceId" string replaced by `id`. */
export function withResource<T>(payload: T, id: string): T {
  return fillPlaceholder(payload, '$resourceId', id);
}

/** What a sample's "$random" becomes where the check does not mark what it creates. */
export const SAMPLE_TEXT = 'openport-conform sample';

/**
 * A write sample's payload as it is sent: "$resourceId" aimed at `resourceId` (default: the target's existing
 * resource) and "$random" filled with `text`. A template is never sent with its placeholders.
 */
export function samplePayloadOf(t: ResolvedTarget, payload: Record<string, unknown>, resourceId = t.existingResourceId, text = SAMPLE_TEXT): Record<string, unknown> {
  return withResource(fillRandom(payload, text), resourceId);
}

/**
 * `payload` with its "$random" slots filled: the first with `text` itself (the mark a check looks for), each
 * further one with a text of its own — a move from one assignee to another must not name the same one twice.
 */
export function fillRandom<T>(payload: T, text: string): T {
  let n = 0;
  const fill = (v: unknown): unknown => {
    if (v === '$random') return n++ === 0 ? text : `${text} ${n}`;
    if (Array.isArray(v)) return v.map(fill);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]));
    return v;
  };
  return fill(payload) as T;
}

/** The value at a dotted path ("a.b.c") inside nested objects, or undefined. */
export function valueAt(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const part of path.split('.')) {
    if (!cur || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** What a CheckContext getter that skips without its flag (ctx.agent, ctx.admin) returns, or undefined when it would skip. */
export function unlessSkipped<T>(get: () => T): T | undefined {
  try {
    return get();
  } catch (e) {
    if (e instanceof Skip) return undefined;
    throw e;
  }
}

/** The service user a workspace persona's app acts as (§2), when POST /apps echoed it. */
export function serviceUserOf(p: Persona): string | undefined {
  const created = (p.raw as { app?: { service_user_id?: unknown } } | undefined)?.app?.service_user_id;
  return typeof created === 'string' && created !== '' ? created : undefined;
}
