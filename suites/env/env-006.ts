import type { AgentClient, CheckContext, CheckDef, Exchange } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { readPath } from '../../src/kit/clients.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { expectValidationDetails } from './admin-routes.js';
import { maybeAdmin, pageOf } from './routes.js';

/** A value no query parameter takes: not a number, not a date, not an id of anything. */
const MALFORMED = 'conform-invalid-value';

/**
 * Every query parameter the target description names for each of its read routes: the read's own arguments,
 * those of the read-back, sensitive and windowed reads made with it, the window's bounds and the container
 * argument of the container read.
 */
function queryParameters(ctx: CheckContext): { tool: string; param: string }[] {
  const t = ctx.target;
  const calls = [t.readBack, t.sensitiveRead, t.dateRange];
  return t.reads.flatMap((r) => {
    const names = new Set<string>(Object.keys(r.query ?? {}));
    for (const c of calls) if (c.tool === r.tool) for (const k of Object.keys(c.query ?? {})) names.add(k);
    if (t.dateRange.tool === r.tool) [t.dateRange.startParam, t.dateRange.endParam].forEach((k) => names.add(k));
    if (t.containers.contentsTool === r.tool) names.add(t.containers.queryParam);
    return [...names].map((param) => ({ tool: r.tool, param }));
  });
}

export const env006: CheckDef = {
  id: 'ENV-006',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['http'],
  description:
    'POST actions without a payload and POST preflight {} are 400 common.validation with details.issues[] of {code, path[], message}; every query parameter the target names on ' +
    "each read route (and, with the admin plane, the draft listing's status) sent malformed is either accepted or refused, and a refusal as a validation failure has the same shape. " +
    'A read that pages ({items,total,page,pageSize,hasMore}) says hasMore where its own numbers show rows after a one-row page, and answers pageSize 201 with a validation failure or a page of at most 200.',
  expectedCodes: ['common.validation'],
  async run(ctx) {
    expectValidationDetails(await ctx.agent.actions({ action: ctx.target.writes.create.action }), 'POST actions without payload or preflightId');
    expectValidationDetails(await ctx.agent.request({ method: 'POST', path: `${AGENT_BASE}/preflight`, body: {} }), 'POST preflight {}');
    // The brief does not say which query values a server must refuse (it may ignore or clamp them); when it
    // refuses one as a validation failure, that failure is judged like any other.
    // Over each read's own arguments, so only the one parameter is wrong; with the admin plane, the draft
    // listing's status filter too (§3: GET /drafts?appId&status), and the reads from a key of their own, so
    // they take nothing from the rate window the run's token shares with the other checks.
    const admin = maybeAdmin(ctx);
    const reader = ctx.provisions ? (await ctx.persona({ name: 'env006 query' })).client : ctx.agent;
    const probes: { what: string; send: () => Promise<Exchange> }[] = queryParameters(ctx).map(({ tool, param }) => ({
      what: `GET ${tool} with ${param}=${MALFORMED}`,
      send: () => reader.request({ method: 'GET', path: readPath(ctx.target.reads, tool, { [param]: MALFORMED }) }),
    }));
    if (admin) probes.push({ what: `GET /drafts?status=${MALFORMED}`, send: () => admin.request({ method: 'GET', path: `${ADMIN_BASE}/drafts?status=${MALFORMED}` }) });
    let refused = 0;
    for (const { what, send } of probes) {
      const ex = await send();
      if ((ex.response.json as { code?: unknown } | undefined)?.code !== 'common.validation') continue;
      refused++;
      expectValidationDetails(ex, what);
    }
    ctx.note(`${probes.length} query parameters sent malformed, ${refused} refused as validation failures`);
    await pagedReads(ctx, reader);
  },
};

/** The largest page a paged read may answer (§3: "pageSize ≤ 200"). */
const PAGE_SIZE_MAX = 200;

/**
 * Each read of the target whose answer pages (§3: {items,total,page,pageSize,hasMore}), read with its own
 * arguments: one page of one row must say hasMore where its own numbers show rows after it, and a pageSize over 200
 * must be refused as a validation failure or answered with a page of at most 200 (a server may clamp it). Reads
 * that do not page are not judged here.
 */
async function pagedReads(ctx: CheckContext, reader: AgentClient): Promise<void> {
  let paged = 0;
  for (const r of ctx.target.reads) {
    let what = `GET ${r.tool} with page=1&pageSize=1`;
    let first = await reader.request({ method: 'GET', path: readPath(ctx.target.reads, r.tool, { page: 1, pageSize: 1 }) });
    let p = pageOf(first);
    // A server may refuse a page size it does not offer: then the read's own page is judged, and pageSize 201 all the same.
    if (!p) {
      what = `GET ${r.tool}`;
      first = await reader.request({ method: 'GET', path: readPath(ctx.target.reads, r.tool) });
      p = pageOf(first);
    }
    if (!p) continue;
    paged++;
    // Rows after this page whether pages count from 1 or from 0 (the brief does not say): (page + 1) pages short of
    // the total. A true hasMore is not judged: a server may drop rows a policy hides after paging.
    if (!p.hasMore && (p.page + 1) * p.pageSize < p.total) {
      fail(`${what}: hasMore is false though the page's own numbers show rows after it`, `hasMore true ((page ${p.page} + 1) × pageSize ${p.pageSize} < total ${p.total})`, `hasMore false, ${p.items.length} item(s)`, first, '/data/hasMore');
    }
    const over = await reader.request({ method: 'GET', path: readPath(ctx.target.reads, r.tool, { pageSize: PAGE_SIZE_MAX + 1 }) });
    const whatOver = `GET ${r.tool} with pageSize=${PAGE_SIZE_MAX + 1}`;
    if ((over.response.json as { code?: unknown } | undefined)?.code === 'common.validation') {
      expectValidationDetails(over, whatOver);
      continue;
    }
    const big = pageOf(over);
    if (big && (big.pageSize > PAGE_SIZE_MAX || big.items.length > PAGE_SIZE_MAX)) {
      fail(`${whatOver}: answered a page larger than ${PAGE_SIZE_MAX}`, `400 common.validation, or a page of at most ${PAGE_SIZE_MAX} (pageSize ≤ ${PAGE_SIZE_MAX})`, `pageSize ${big.pageSize}, ${big.items.length} item(s)`, over, '/data/pageSize');
    }
  }
  if (paged === 0) ctx.partial('no read of the target answers with {items,total,page,pageSize,hasMore}: paging was not judged');
  else ctx.note(`${paged} paged read(s): hasMore on a page of one row (or of the read's own size, where one row is refused) and pageSize ${PAGE_SIZE_MAX + 1} judged`);
}
