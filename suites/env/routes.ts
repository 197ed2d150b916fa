/**
 * What the core checks share: the six agent routes of the binding as request specs (so a check can replay
 * each one with any identity), optional access to the run's token and admin plane for checks that use
 * them only when present, and small helpers for keys, tokens and scope sets.
 */
import { AGENT_BASE } from '../../src/protocol/types.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { ToolError, type AdminClient, type AgentClient, type CheckContext, type Exchange, type RequestSpec } from '../../src/kit/check.js';
import { writeSamples, type ReadArgs, type ResolvedTarget } from '../../src/kit/target.js';
import { fail } from '../../src/kit/expect.js';
import { readBack, samplePayloadOf, unlessSkipped } from '../../src/kit/helpers.js';
import { readPath } from '../../src/kit/clients.js';

export interface AgentRoute {
  name: string;
  kind: 'manifest' | 'read' | 'preflight' | 'actions' | 'draft';
  /** The write sample a preflight or actions request of a tool other than the create names. */
  otherTool?: string;
  /** The HTTP binding's request. */
  spec: RequestSpec;
  /** The same request through the binding-neutral client (identical on HTTP; a tool call or read on MCP). */
  call(client: AgentClient): Promise<Exchange>;
}

/**
 * One request per agent route of the binding (every read of the target), and a preflight and an actions request of
 * every other write sample: a refusal that holds on every route holds for every tool. An actions body names its
 * tool without a payload: a server that authenticates correctly refuses it before looking at the body, and one
 * that does not answers 400 common.validation — either way nothing is created, so read-only checks may send it.
 */
/** A draft id no server issued. */
export const MISSING_DRAFT = 'drf_conform_missing';

/**
 * What a request naming a draft id the server never issued is refused with: §5's agent.draft_not_found
 * ("missing"), or §4's 400 common.validation where the server checks an id's form first (an id it could never
 * have issued is malformed input to it). Either discloses nothing; a real draft of another app is always
 * draft_not_found.
 */
export const NEVER_ISSUED: readonly ReasonCode[] = ['agent.draft_not_found', 'common.validation'];

export function agentRoutes(t: ResolvedTarget): AgentRoute[] {
  const { action } = t.writes.create;
  const payload = samplePayloadOf(t, t.writes.create.payload);
  const missingDraft = MISSING_DRAFT;
  return [
    { name: 'GET manifest', kind: 'manifest', spec: { method: 'GET', path: `${AGENT_BASE}/manifest` }, call: (c) => c.manifest() },
    ...t.reads.map((r): AgentRoute => ({ name: `GET ${r.tool}`, kind: 'read', spec: { method: 'GET', path: readPath(t.reads, r.tool) }, call: (c) => c.read(r.tool) })),
    { name: 'POST preflight', kind: 'preflight', spec: { method: 'POST', path: `${AGENT_BASE}/preflight`, body: { action, payload } }, call: (c) => c.preflight(action, payload) },
    { name: 'POST actions', kind: 'actions', spec: { method: 'POST', path: `${AGENT_BASE}/actions`, body: { action } }, call: (c) => c.actions({ action }) },
    { name: 'GET drafts/{id}', kind: 'draft', spec: { method: 'GET', path: `${AGENT_BASE}/drafts/${missingDraft}` }, call: (c) => c.draft(missingDraft) },
    ...writeSamples(t).filter((s) => s.action !== action).flatMap((s): AgentRoute[] => {
      const body = samplePayloadOf(t, s.payload);
      return [
        { name: `POST preflight ${s.action}`, kind: 'preflight', otherTool: s.action, spec: { method: 'POST', path: `${AGENT_BASE}/preflight`, body: { action: s.action, payload: body } }, call: (c) => c.preflight(s.action, body) },
        { name: `POST actions ${s.action}`, kind: 'actions', otherTool: s.action, spec: { method: 'POST', path: `${AGENT_BASE}/actions`, body: { action: s.action } }, call: (c) => c.actions({ action: s.action }) },
      ];
    }),
  ];
}

export interface Page { items: unknown[]; total: number; page: number; pageSize: number; hasMore: boolean }

/** The paging members of a read's answer (§3: {items,total,page,pageSize,hasMore}), or undefined for a read that does not page. */
export function pageOf(ex: Exchange): Page | undefined {
  const d = (ex.response.json as { ok?: unknown; data?: Record<string, unknown> } | undefined)?.ok === true ? (ex.response.json as { data?: Record<string, unknown> }).data : undefined;
  if (!d || !Array.isArray(d.items) || typeof d.hasMore !== 'boolean') return undefined;
  if (![d.total, d.page, d.pageSize].every((n) => typeof n === 'number')) return undefined;
  return d as unknown as Page;
}

/**
 * The query shapes a paged read is sent with besides its own (§3 names page and pageSize on it): a server may take
 * another path for a read that names a page, and every check of a read must hold on that path too.
 */
export const PAGE_SHAPES: readonly ReadArgs[] = [{ page: 1 }, { page: 1, pageSize: 20 }];

/** A query shape as text ("page=1&pageSize=20"). */
export function shapeText(shape: ReadArgs): string {
  return Object.entries(shape).map(([k, v]) => `${k}=${v}`).join('&');
}

/** The reads of the target that page: those whose answer to `reader` (a key holding their scopes) is {items,total,page,pageSize,hasMore}. */
export async function readsThatPage(t: ResolvedTarget, reader: AgentClient): Promise<string[]> {
  const paged: string[] = [];
  for (const r of t.reads) if (pageOf(await reader.read(r.tool))) paged.push(r.tool);
  return paged;
}

/** Each paged read (`tools`: readsThatPage) as an agent route once per PAGE_SHAPES shape. */
export function pagedRoutes(t: ResolvedTarget, tools: readonly string[]): AgentRoute[] {
  return tools.flatMap((tool) => PAGE_SHAPES.map((shape): AgentRoute => ({
    name: `GET ${tool} with ${shapeText(shape)}`, kind: 'read', spec: { method: 'GET', path: readPath(t.reads, tool, shape) }, call: (c) => c.read(tool, shape),
  })));
}

/**
 * Send a route through the binding-neutral client; with extra headers (e.g. a hand-made Authorization)
 * merged over the client's own, as a raw HTTP request (such a check judges the HTTP binding).
 */
export function send(client: AgentClient, route: AgentRoute, headers?: Record<string, string>): Promise<Exchange> {
  return headers ? client.request({ ...route.spec, headers: { ...route.spec.headers, ...headers } }) : route.call(client);
}

/** ctx.agent, or undefined when the run has no token (instead of skipping the whole check). */
export function maybeAgent(ctx: CheckContext): AgentClient | undefined {
  return unlessSkipped(() => ctx.agent);
}

/** ctx.admin, or undefined when the run has no admin headers. */
export function maybeAdmin(ctx: CheckContext): AdminClient | undefined {
  return unlessSkipped(() => ctx.admin);
}

/** The key id and token of a POST /apps/{id}/keys response (`data.key.id`, `data.token`). */
export function keyFrom(ex: Exchange): { keyId: string; token: string } | undefined {
  const j = ex.response.json as { ok?: unknown; data?: { key?: { id?: unknown }; token?: unknown } } | undefined;
  if (ex.response.status < 200 || ex.response.status > 299 || j?.ok !== true) return undefined;
  const keyId = j.data?.key?.id;
  const token = j.data?.token;
  return typeof keyId === 'string' && typeof token === 'string' ? { keyId, token } : undefined;
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

export function randomB64url(ctx: CheckContext, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += B64URL[Math.floor(ctx.random() * 64) % 64];
  return s;
}

/** The token with its last `n` characters each changed, so only a server comparing the whole token refuses it. */
export function tamperTail(token: string, n = 4): string {
  const head = token.slice(0, -n);
  const tail = [...token.slice(-n)].map((c) => B64URL[(B64URL.indexOf(c) + 1) % 64]).join('');
  return head + tail;
}

export function scopesWithout(t: ResolvedTarget, ...drop: string[]): string[] {
  return t.scopes.filter((s) => !drop.includes(s));
}

/** Every string anywhere in a JSON value. */
function stringsIn(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(stringsIn);
  return [];
}

/**
 * The positive control of a non-disclosure check: the resource's own tenant (`owner`) reads the existing
 * resource back (target.readBack) and sees every marker the check will look for elsewhere. Without it, markers
 * the server never shows (a typo, a redacted field, none at all) would make every answer look discreet. A
 * failed control is a tool error: the target description, not the target, is wrong.
 */
export async function expectOwnerSeesMarkers(ctx: CheckContext, owner: AgentClient): Promise<void> {
  const { existingResourceId: id, existingResourceMarkers: markers, readBack: rb } = ctx.target;
  if (markers.length === 0) throw new ToolError('target.existingResourceMarkers is empty: a non-disclosure check has nothing to look for', 2);
  const row = await readBack(ctx, owner, id);
  if (row === undefined) throw new ToolError(`positive control: the existing resource ${id} is not in its own tenant's read-back (${rb.tool}); target.existingResourceId must name a resource target.readBack lists`, 2);
  const seen = stringsIn(row);
  const unseen = markers.filter((m) => !seen.some((s) => s.includes(m)));
  if (unseen.length) {
    throw new ToolError(`positive control: its own tenant's read-back of ${id} does not show ${unseen.map((m) => JSON.stringify(m)).join(', ')}; target.existingResourceMarkers must be values of that resource its own tenant sees`, 2);
  }
}

/** Fail when the response body carries any of the markers (non-disclosure). */
/** The markers (a resource's recognisable values) the answer's body shows. */
export function markersIn(ex: Exchange, markers: readonly string[]): string[] {
  return markers.filter((m) => m.length > 0 && ex.response.text.includes(m));
}

export function expectNoMarkers(ex: Exchange, markers: readonly string[], what: string): void {
  const hit = markersIn(ex, markers);
  if (hit.length) fail(`${what}: the response discloses ${hit.map((m) => JSON.stringify(m)).join(', ')}`, 'none of the resource\'s data in the body', `body contains ${hit.join(', ')}`, ex);
}

/**
 * A payload for write tool `tool`: its sample when the target has one (aimed at the existing resource),
 * otherwise a guess — the high-risk sample's resource plus the primary container. `guessed` says which.
 */
export function samplePayload(t: ResolvedTarget, tool: string): { payload: Record<string, unknown>; guessed: boolean } {
  const sample = writeSamples(t).find((w) => w.action === tool);
  const template = sample?.payload ?? { ...t.writes.highRisk.payload, [t.containers.queryParam]: t.containers.primary };
  return { payload: samplePayloadOf(t, template), guessed: !sample };
}
