import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { initialize, openSession, rpcOutcome, withSession, type WireSession } from '../../src/kit/mcp-wire.js';

/** Sessions opened when the description declares no endpoint quota (mcpSessionQuotas.total): a partial pass past it. */
export const DEFAULT_SESSION_BOUND = 64;
/** Sessions opened at most, whatever the description declares: a larger quota is judged up to here (a partial pass). */
export const MAX_SESSION_BOUND = 1_024;
/** What one session costs against its key's rate limit (E3: every message counts): initialize, notifications/initialized, DELETE. */
const MESSAGES_PER_SESSION = 3;

export const mcp008: CheckDef = {
  id: 'MCP-008',
  safety: 'load',
  needs: ['admin'],
  bindings: ['mcp'],
  // A 429 to the opener is evidence of a bound, not a blocker.
  expects429: true,
  description:
    "A session of one key still answers after fresh keys of another tenant opened sessions up to the endpoint's declared quota (mcpSessionQuotas.total, else 64) or until refused (HTTP 429): no key's request evicts another key's session.",
  async run(ctx) {
    const quotas = ctx.target.mcpSessionQuotas ?? {};
    const bound = Math.min(quotas.total ?? DEFAULT_SESSION_BOUND, MAX_SESSION_BOUND);
    // Fresh keys open the sessions, each at most its quota and what its rate limit admits (the run's budget stays untouched).
    const perKey = Math.max(1, Math.min(quotas.perKey ?? bound, Math.floor((ctx.target.rateLimit.limit - 1) / MESSAGES_PER_SESSION)));
    const victim = await ctx.persona({ name: 'mcp008 victim' });
    const opened: WireSession[] = [];
    let refused: Exchange | undefined;
    await withSession(await openSession(ctx, victim.token, 'MCP-008 set-up'), async (session) => {
      const control = await session.request('ping', {});
      if (control.message?.result === undefined) throw new Error(`MCP-008 set-up: ping on a fresh session answered HTTP ${control.ex.response.status}`);
      try {
        for (let k = 1; opened.length < bound && !refused; k++) {
          const opener = await ctx.persona({ name: `mcp008 opener ${k}`, orgId: ctx.target.otherOrgId });
          for (let i = 0; i < perKey && opened.length < bound; i++) {
            const open = () => initialize(ctx, opener.token);
            const { ex, session: s } = opened.length === 0 ? await open() : await ctx.bulk(open);
            if (s) opened.push(s);
            // A refusal (session quota, or the rate limit on initialize) bounds what one tenant can open: the evidence sought.
            else if (ex.response.status === 429) refused = ex;
            else throw new Error(`MCP-008 set-up: initialize of another tenant's fresh key answered HTTP ${ex.response.status}: ${ex.response.text.slice(0, 200)}`);
            if (refused) break;
          }
        }
        const after = await session.request('ping', {});
        // The victim's own rate limit says nothing of its session (its key sent a handful of messages).
        if (after.ex.response.status === 429) throw new Error('MCP-008: the ping of the first key\'s session was rate limited (HTTP 429); not judged');
        if (after.message?.result === undefined) {
          fail(
            `MCP ping on a session of one key failed after another tenant's keys opened ${opened.length} sessions${refused ? ' (then were refused)' : ''}: their sessions evicted it`,
            { text: "the session still answers: a request of one key never closes or evicts another key's session" },
            rpcOutcome(after.ex, after.message),
            after.ex,
          );
        }
      } finally {
        // The opener's sessions are ended, so that they hold no quota after the check.
        await ctx.bulk(() => Promise.all(opened.map((s) => s.close())));
      }
    });
    if (refused) ctx.note(`another tenant was refused (HTTP ${refused.response.status}) after ${opened.length} sessions`);
    else if (quotas.total === undefined || quotas.total > MAX_SESSION_BOUND) {
      ctx.partial(`passed up to ${bound} sessions of another tenant, never refused; the server's session cap may lie above (declare mcpSessionQuotas.total in the target description)`);
    } else ctx.note(`another tenant opened ${opened.length} sessions (the declared endpoint quota), never refused`);
  },
};
