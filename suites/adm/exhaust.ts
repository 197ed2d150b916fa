import { Skip, type AgentClient, type CheckContext, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, fail } from '../../src/kit/expect.js';
import { achievedText, burst, burstRequest, sharedWindow } from '../../src/kit/burst.js';

/** A key past its limit from this address: a client of it, the check's first 429 on it, how widely the burst sent. */
export interface PastLimit {
  client: AgentClient;
  token: string;
  limited: Exchange;
  parallel: number;
  /** The key was the run's shared window (sharedWindow): it must not be filled again. */
  shared: boolean;
}

/**
 * A key past its limit for a check that judges only what a full window answers: the run's shared window
 * (src/kit/burst.ts, sharedWindow) when it serves, else a persona of the check's own, exhausted.
 */
export async function pastLimitKey(ctx: CheckContext, name: string): Promise<PastLimit> {
  const s = await sharedWindow(ctx);
  if (s) {
    ctx.note(`first 429 after ${achievedText(s.outcome, ctx.target.rateLimit.windowMs)}, each ${s.what} (the run's shared rate-limit window)`);
    return { client: s.client, token: s.token, limited: s.limited, parallel: s.outcome.parallel, shared: true };
  }
  return ownKey(ctx, name);
}

/** A persona of the check's own, exhausted. */
async function ownKey(ctx: CheckContext, name: string): Promise<PastLimit> {
  const p = await ctx.persona({ name });
  return { client: p.client, token: p.token, ...(await exhausted(ctx, p.client)), shared: false };
}

/**
 * The burst request (burstRequest, or `request`) from one key until the first 429, paced and measured (src/kit/burst.ts).
 * No 429 is a finding only when the burst achieved a rate the declared limit must refuse; otherwise the check skips, saying
 * what rate it reached. When the description only guesses the limit, a missing 429 is never a finding. The
 * burst past its first request is bulk traffic: the journal keeps a sample of each admitted answer, every
 * refusal whole.
 * Returns the first 429 and how widely the burst had to send in parallel to get there. `minWidth`: requests in
 * flight at once at least, for a burst that judges only the 429 it ends with, not what was admitted before it.
 */
export async function exhausted(ctx: CheckContext, client: AgentClient, request = burstRequest(ctx, client), minWidth = 1): Promise<{ limited: Exchange; parallel: number }> {
  const { limit, windowMs } = ctx.target.rateLimit;
  const o = await burst(ctx, request.send, { minWidth });
  const what = `${achievedText(o, windowMs)}, each ${request.what}`;
  if (o.limited) {
    ctx.note(`first 429 after ${what}`);
    return { limited: o.limited, parallel: o.parallel };
  }
  // §9 fixes the 429, not the limit: a limit the description only guesses is no ground for a failure.
  if (ctx.target.fixed?.rateLimit === false) {
    throw new Skip(`no 429 after ${what}, and the limit ${limit} per ${windowMs} ms is the description's guess, not the server's`, "declare the server's limit: a target file with `extends: demo` and rateLimit");
  }
  if (o.achieved < o.needed) {
    throw new Skip(`no 429, but the burst never reached a rate the limit must refuse: ${what}`, 'run closer to the server (lower latency) or on a less loaded machine');
  }
  return fail(`no 429 although ${o.achieved} requests reached the server inside one ${windowMs} ms window (declared limit ${limit})`, { status: 429, code: 'agent.rate_limited', text: `HTTP 429 agent.rate_limited past ${limit} requests per ${windowMs} ms` }, `${what}; last: ${o.last ? describe(o.last) : 'nothing sent'}`, o.last);
}

export type Labelled = [what: string, ex: Exchange];

const ATTEMPTS = 3;
/** Attempts when the burst sent in parallel (a slow link): a window can roll over mid-wave, see below. */
const PARALLEL_ATTEMPTS = 5;

/**
 * Exhaust the limit (the persona's own key, or the run's shared window when `sharedOr` names the persona to
 * make instead), then run `past` (requests meant to be refused). When one of them is admitted and the
 * burst request sent right after is admitted too, a fixed window rolled over in between — not the server's
 * doing — and the attempt is repeated (at most ATTEMPTS in all). Returns what `past` sent, for the check to judge.
 * A burst that sent in parallel may have put some of its own requests into the next window already, so a
 * refused burst request afterwards proves nothing: such attempts are repeated up to PARALLEL_ATTEMPTS, and only
 * then are the answers judged.
 */
export async function pastTheLimit(ctx: CheckContext, key: { own: Persona } | { sharedOr: string }, past: (first: Exchange, client: AgentClient) => Promise<Labelled[]>): Promise<Labelled[]> {
  const again = async (k?: PastLimit): Promise<PastLimit> => {
    if ('own' in key) return { client: key.own.client, token: key.own.token, ...(await exhausted(ctx, key.own.client)), shared: false };
    // The shared window is never filled twice (sharedWindow): a repeat takes a key of the check's own.
    return !k ? pastLimitKey(ctx, key.sharedOr) : k.shared ? ownKey(ctx, key.sharedOr) : { ...k, ...(await exhausted(ctx, k.client)) };
  };
  let k: PastLimit | undefined;
  for (let attempt = 1; ; attempt++) {
    k = await again(k);
    const sent = await past(k.limited, k.client);
    // A short window on a busy machine can roll over twice in a row; a few attempts, then the answers are judged.
    const allRefused = sent.every(([, ex]) => ex.response.status === 429);
    if (allRefused || (attempt === ATTEMPTS && k.parallel === 1)) return sent;
    if (attempt === PARALLEL_ATTEMPTS) {
      // Every attempt may have met a window the burst itself had opened: nothing proves these were past the limit.
      throw new Skip(`requests sent right after a 429 were admitted in each of ${PARALLEL_ATTEMPTS} attempts, and the link is slow enough (the burst needed ${k.parallel} requests in parallel) that a new window may have opened each time; not judged`, 'run closer to the server or with a longer rate-limit window');
    }
    if (k.parallel === 1 && (await burstRequest(ctx, k.client).send()).response.status === 429) return sent;
    ctx.note('the rate-limit window rolled over while requests were sent past the limit; started again');
  }
}
