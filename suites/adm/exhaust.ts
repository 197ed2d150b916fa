import { Skip, type AgentClient, type CheckContext, type Exchange } from '../../src/kit/check.js';
import { describe, fail } from '../../src/kit/expect.js';

/**
 * GET manifest until the first 429, bounded by twice the target's limit plus slack (a window that rolls
 * over mid-loop must still hit the limit within the bound). No 429 within the bound is a finding when the
 * limit is declared, and a Skip asking for it when the description only guesses it. The burst past its
 * first request is bulk traffic: the journal keeps a sample of each admitted manifest, every refusal whole.
 */
export async function exhaust(ctx: CheckContext, client: AgentClient): Promise<Exchange> {
  const bound = 2 * ctx.target.rateLimit.limit + 20;
  let last: Exchange | undefined;
  for (let i = 0; i < bound; i++) {
    last = i === 0 ? await client.manifest() : await ctx.bulk(() => client.manifest());
    if (last.response.status === 429) {
      ctx.note(`first 429 after ${i + 1} requests`);
      return last;
    }
  }
  // §9 fixes the 429, not the limit: a limit the description only guesses is no ground for a failure.
  if (ctx.target.fixed?.rateLimit === false) {
    throw new Skip(`no 429 within ${bound} requests, and the limit ${ctx.target.rateLimit.limit} per ${ctx.target.rateLimit.windowMs} ms is the description's guess, not the server's`, "declare the server's limit: a target file with `extends: demo` and rateLimit");
  }
  return fail(`no 429 within ${bound} requests (target.rateLimit.limit ${ctx.target.rateLimit.limit})`, { status: 429, code: 'agent.rate_limited', text: 'HTTP 429 agent.rate_limited once past the limit' }, `last: ${last ? describe(last) : 'nothing sent'}`, last);
}

export type Labelled = [what: string, ex: Exchange];

const ATTEMPTS = 3;

/**
 * Exhaust the limit, then run `past` (requests meant to be refused). When one of them is admitted and a
 * manifest sent right after is admitted too, a fixed window rolled over in between — not the server's
 * doing — and the attempt is repeated (at most ATTEMPTS in all). Returns what `past` sent, for the check to judge.
 */
export async function pastTheLimit(ctx: CheckContext, client: AgentClient, past: (first: Exchange) => Promise<Labelled[]>): Promise<Labelled[]> {
  for (let attempt = 1; ; attempt++) {
    const sent = await past(await exhaust(ctx, client));
    // A short window on a busy machine can roll over twice in a row; three attempts, then the answers are judged.
    if (sent.every(([, ex]) => ex.response.status === 429) || attempt === ATTEMPTS) return sent;
    if ((await client.manifest()).response.status === 429) return sent;
    ctx.note('the rate-limit window rolled over while requests were sent past the limit; started again');
  }
}
