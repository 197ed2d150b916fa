import type { CheckContext, CheckDef, Exchange } from '../../src/kit/check.js';
import { readPath } from '../../src/kit/clients.js';
import { ADMIN_BASE, AGENT_BASE } from '../../src/protocol/types.js';
import { expectValidationDetails } from './admin-routes.js';
import { maybeAdmin } from './routes.js';

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
    "each read route (and, with the admin plane, the draft listing's status) sent malformed is either accepted or refused, and a refusal as a validation failure has the same shape.",
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
  },
};
