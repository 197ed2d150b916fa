import { Skip, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { SHARED_FILL_WIDTH } from '../../src/kit/burst.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { agentRoutes, pagedRoutes, readsThatPage, send } from '../env/routes.js';
import { exhausted, pastTheLimit, type Labelled } from './exhaust.js';

export const adm001: CheckDef = {
  id: 'ADM-001',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  description: "Past the rate limit, the first 429 and one further request on each agent route (and a preflight and an actions request of every other write sample, and every read that pages with page=1 and page=1&pageSize=20), and over HTTP the manifest once more with an X-Request-Id header, are all 429 agent.rate_limited in a JSON envelope; another app's key from the same address is still admitted; a burst of requests the handler refuses (preflights with an empty payload) meets the limit too (the limit comes before any handler).",
  expectedCodes: ['agent.rate_limited'],
  async run(ctx) {
    const other = await ctx.persona({ name: 'adm001 bystander' });
    // agentRoutes has every other write tool's preflight and actions: the limit is the key's, whichever tool it calls.
    // Reads that page are sent naming a page too: the limit is on (key, client IP), whatever else a request carries.
    const routes = [...agentRoutes(ctx.target), ...pagedRoutes(ctx.target, await readsThatPage(ctx.target, other.client))];
    const sent = await pastTheLimit(ctx, { sharedOr: 'adm001 burst' }, async (first, client) => {
      // The limit is per key and client IP, not per route: every route of the exhausted key is refused alike.
      // All at once, so that on a slow link they still reach the server inside the window the 429 proved full.
      // Over HTTP the first route once more with an X-Request-Id (only one: a window that rolls over right after the
      // first 429 must still hold all of them, or the roll-over is taken for a limit that admits too much).
      const asked: [string, Promise<Exchange>][] = routes.map((r) => [`${r.name} after the first 429`, send(client, r)]);
      if (ctx.binding === 'http') asked.push([`${routes[0]!.name} with an X-Request-Id after the first 429`, send(client, routes[0]!, { 'x-request-id': 'openport-conform-adm001' })]);
      const answers = await Promise.all(asked.map(([, ex]) => ex));
      return [['the first 429', first], ...asked.map(([what], i): Labelled => [what, answers[i]!])];
    });
    for (const [what, ex] of sent) expectError(ex, 'agent.rate_limited', what);
    // "(7) rate limit on (key, client IP)" (§6): the exhausted key's window is its own. A key of another app,
    // from the same address, is still admitted (another app, so that an app-wide quota is not blamed).
    expectSuccess(await other.client.manifest(), "another app's key from the same address while the first key is past its limit");

    // "Before any handler: … (7) rate limit" (§6): requests the handler then refuses count like any other, so a burst
    // of validation failures meets the limit too. A key of its own; where the burst cannot prove a missing limit,
    // this part is not judged (a partial pass).
    const invalid = await ctx.persona({ name: 'adm001 refused requests' });
    const { action } = ctx.target.writes.create;
    try {
      // As wide as the shared window's fill: only the 429 it ends with is judged.
      await exhausted(ctx, invalid.client, { what: `POST preflight ${action} with an empty payload (a validation failure)`, send: () => invalid.client.preflight(action, {}) }, SHARED_FILL_WIDTH);
    } catch (e) {
      if (!(e instanceof Skip)) throw e;
      ctx.partial(`requests the handler refuses were not shown to count against the limit: ${e.message}`);
    }
  },
};
