/** Agent-plane read handlers: manifest and the domain's read tools. */
import type { ToolDescriptor } from '../protocol/types.js';
import { auditAgent, checkContainer, checkDataPolicy, findTool, holdsScopes, type AgentCtx, type AgentEvent, type Core } from './core.js';
import type { DomainRead } from './domain.js';
import { ApiError, issue, type Json } from './errors.js';
import { auditedData, DAY_MS, effectiveData } from './policy.js';

/**
 * Serialized success bodies of data objects that never change once built (an app's manifest: its name,
 * scopes and the domain's tools are fixed). The hottest route then skips JSON.stringify.
 */
export const stableBodies = new WeakMap<object, { text: string; bytes: Buffer }>();
/** Per app: its manifest, and the details of its read event (the same for every read, so shared by them). */
const manifests = new WeakMap<object, { data: { app: unknown; tools: ToolDescriptor[] }; event: AgentEvent }>();
const NO_REDACTION: Readonly<Record<string, unknown>> = Object.freeze({});

export function manifest(core: Core, ctx: AgentCtx): Json {
  let m = manifests.get(ctx.app);
  if (!m) {
    const tools = core.hooks.manifestTools(core.domain.tools, ctx.app.scopes);
    const data = { app: { id: ctx.app.id, name: ctx.app.name, scope: ctx.app.scope, orgId: ctx.app.org_id }, tools };
    // The read event is the same for every read of this manifest: built once, frozen (a hook that changes an event copies it).
    m = { data, event: Object.freeze({ action: 'agent.manifest.read', status: 'success', details: Object.freeze({ toolCount: tools.length }), read: true, ownDetails: true }) };
    manifests.set(ctx.app, m);
    const text = JSON.stringify({ ok: true, code: 'common.success', data });
    stableBodies.set(data, { text, bytes: Buffer.from(text, 'utf8') });
  }
  auditAgent(core, ctx, m.event);
  return m.data as Json;
}

/** The tools an app with `scopes` may see (discovery, and admin GET /apps/{id}/tools). */
export function visibleTools(tools: readonly ToolDescriptor[], scopes: readonly string[]): ToolDescriptor[] {
  return tools.filter((t) => t.requiredScopes.every((s) => scopes.includes(s)));
}

function positiveInt(q: URLSearchParams, name: string, dflt: number, max: number, issues: ReturnType<typeof issue>[]): number {
  const raw = q.get(name);
  if (raw === null) return dflt;
  const n = /^\d{1,9}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 1 && n <= max)) issues.push(issue([name], `${name} must be an integer between 1 and ${max}`, 'invalid_type'));
  return n;
}

function dateParam(q: URLSearchParams, name: string, issues: ReturnType<typeof issue>[]): { at: number; dateOnly: boolean } | null {
  const raw = q.get(name);
  if (raw === null || raw === '') return null;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) {
    issues.push(issue([name], `${name} must be an ISO 8601 date`, 'invalid_date'));
    return null;
  }
  return { at, dateOnly: /^\d{4}-\d{2}-\d{2}$/.test(raw) };
}

export function runRead(core: Core, ctx: AgentCtx, read: DomainRead): Json {
  const tool = findTool(core, read.tool)!;
  if (!holdsScopes(core, ctx.app, tool, read, ctx.query)) throw new ApiError('agent.scope_denied', 'Insufficient permissions');
  const q = ctx.query;
  const issues: ReturnType<typeof issue>[] = [];
  const page = read.paged ? positiveInt(q, 'page', 1, 1_000_000, issues) : 1;
  const pageSize = read.paged ? positiveInt(q, 'pageSize', core.hooks.defaultPageSize(), core.hooks.maxPageSize(), issues) : 200;
  const containerId = read.containerParam ? q.get(read.containerParam) : null;
  if (read.containerParam && !containerId) issues.push(issue([read.containerParam], `${read.containerParam} is required`, 'invalid_type'));
  const start = read.window ? dateParam(q, read.window.startParam, issues) : null;
  const end = read.window ? dateParam(q, read.window.endParam, issues) : null;
  if (issues.length > 0) throw core.hooks.invalidReadQuery(issues);

  const data = effectiveData(ctx.app.policy, core.domain.containerPolicyField);
  checkDataPolicy(core, ctx, 'read');
  if (containerId) {
    const container = core.domain.container(containerId);
    if (container) checkContainer(core, ctx, container, 'read', read.tool);
    else {
      const refusal = core.hooks.missingContainer(core.domain.containerNoun);
      if (refusal) throw refusal;
    }
  }

  let window: { start: number | null; end: number } | undefined;
  if (read.window) {
    const endAt = end?.at ?? core.now();
    let startAt = start?.at ?? null;
    const inverted = startAt !== null && startAt > endAt ? core.hooks.invertedWindow(read.window.startParam, read.window.endParam) : null;
    if (inverted) throw inverted;
    const maxDays = core.hooks.maxDays(data, 'read', q);
    if (maxDays !== null) {
      if (startAt === null) startAt = endAt - maxDays * DAY_MS;
      else if (endAt - startAt > maxDays * DAY_MS) throw new ApiError('agent.policy_denied', `Date range exceeds ${maxDays} days`);
    }
    // A date-only end means the whole of that day.
    window = { start: startAt, end: end?.dateOnly ? endAt + DAY_MS - 1 : endAt };
  }

  const result = read.run({
    orgId: ctx.orgId,
    allowedContainerIds: core.hooks.allowedContainers(data, 'read'),
    ...(containerId ? { containerId } : {}),
    ...(window ? { window } : {}),
    page,
    pageSize,
  });
  const redactions = data.allowSensitiveFields ? NO_REDACTION : core.hooks.redactions(core.domain.redactions, read.paged ? page : undefined, start !== null || end !== null);
  const redactedFields = Object.keys(redactions);
  const items = redactedFields.length > 0
    ? result.items.map((row) => ({ ...row, ...Object.fromEntries(redactedFields.filter((f) => f in row).map((f) => [f, redactions[f]])) }))
    : result.items;

  const details: Json = read.containerParam
    ? {
        [read.containerParam]: containerId,
        ...(read.window ? { [read.window.startParam]: q.get(read.window.startParam), [read.window.endParam]: q.get(read.window.endParam) } : {}),
        ...(read.paged ? { page, pageSize } : {}),
        resultCount: items.length,
        redactedFields,
        policy: auditedData(data, core.domain.containerPolicyField),
      }
    : { resultCount: items.length };
  auditAgent(core, ctx, { action: read.auditAction, status: 'success', details, read: true });
  return read.paged ? { items, total: result.total, page, pageSize, hasMore: page * pageSize < result.total } : { items };
}
