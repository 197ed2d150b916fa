import { Skip, type CheckDef, type CheckContext, type Exchange } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { burstRequest, retryAfterSeconds } from '../../src/kit/burst.js';
import { pastLimitKey } from './exhaust.js';

/** What the check can wait for and still finish within the load deadline (--wait-retry-after). */
const MAX_WAIT_S = 65;
/** A Retry-After this short is always waited out in full: the recovery proof costs no more than the countdown proof. */
const SHORT_WAIT_S = 2;
/** How long the countdown proof waits before asking again. */
const COUNTDOWN_MS = 1100;

/** Delta-seconds, or a finding naming what the 429 carried instead. */
function retryAfter(ex: Exchange, what: string): number {
  const raw = ex.response.headers['retry-after'];
  if (raw === undefined) fail(`${what} has no Retry-After header`, 'Retry-After: <delta-seconds>', describe(ex), ex);
  const seconds = retryAfterSeconds(raw);
  if (seconds === undefined) fail(`Retry-After of ${what} is not delta-seconds: ${JSON.stringify(raw)}`, 'a non-negative integer', raw, ex);
  return seconds;
}

/**
 * Reset times the IETF RateLimit fields announce, in seconds: `RateLimit: "default";r=0;t=N` (the current
 * draft, one item per policy) and `RateLimit-Reset: N` (earlier drafts). Empty when neither is sent (they are optional).
 */
export function rateLimitResets(headers: Record<string, string>): number[] {
  const out: number[] = [];
  for (const m of (headers.ratelimit ?? '').matchAll(/;\s*t=(\d+)/g)) out.push(Number(m[1]));
  const reset = headers['ratelimit-reset']?.trim();
  if (reset && /^\d+$/.test(reset)) out.push(Number(reset));
  return out;
}

/** A server that also sends RateLimit fields must not contradict its Retry-After (whole seconds, so ±1). */
function expectAgreement(ex: Exchange, seconds: number): void {
  const resets = rateLimitResets(ex.response.headers);
  if (resets.length && !resets.some((t) => Math.abs(t - seconds) <= 1)) {
    fail(`Retry-After (${seconds} s) contradicts the RateLimit fields of the same 429`, `a RateLimit reset within 1 s of ${seconds}`, `reset ${resets.join(', ')} s`, ex);
  }
}

/** Wait out Retry-After and expect the key admitted again (a server rounding down is late by under a second). */
async function recovers(ctx: CheckContext, request: { what: string; send: () => Promise<Exchange> }, seconds: number): Promise<void> {
  const ask = request.send;
  await ctx.windowClock.sleep(seconds * 1000 + 50);
  const first = await ask();
  if (first.response.status !== 429) return expectSuccess(first, `${request.what} ${seconds} s after the 429, as Retry-After said`);
  await ctx.windowClock.sleep(1000);
  expectSuccess(await ask(), `${request.what} ${seconds + 1} s after the 429 (Retry-After said ${seconds} s, and ${seconds} s was still ${describe(first)})`);
  ctx.note(`still limited ${seconds} s after the 429; admitted one second later (Retry-After rounded down)`);
}

export const adm003: CheckDef = {
  id: 'ADM-003',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  description: `A 429 carries Retry-After in delta-seconds that agrees with any RateLimit fields; a short one (≤ ${SHORT_WAIT_S} s), or any up to ${MAX_WAIT_S} s under --wait-retry-after, is waited out and the next request succeeds.`,
  async run(ctx) {
    const { client, limited } = await pastLimitKey(ctx, 'adm003 retry-after');
    // Asked again with the request that exhausted the limit, so a limit counted per route is seen as it is.
    const request = burstRequest(ctx, client);
    const ask = request.send;
    const seconds = retryAfter(limited, 'the 429');
    expectAgreement(limited, seconds);
    ctx.note(`Retry-After: ${seconds}`);
    if (seconds <= SHORT_WAIT_S) return recovers(ctx, request, seconds);
    if (ctx.waitRetryAfter) {
      // A long window is legitimate; only the recovery half cannot be waited for.
      if (seconds > MAX_WAIT_S) throw new Skip(`Retry-After is delta-seconds (${seconds}), but longer than this check may wait (${MAX_WAIT_S} s): recovery after it was not verified`, 'use a target whose rate-limit window is at most 65 s');
      return recovers(ctx, request, seconds);
    }
    // The default: see whether the signal counts down, without sleeping out the window. A constant one that is
    // never too short is as deterministic (§9 asks for delta-seconds, not a countdown): only waiting tells.
    await ctx.windowClock.sleep(COUNTDOWN_MS);
    const later = await ask();
    if (later.response.status !== 429) {
      // Admitted before the announced time: Retry-After is a lower bound for the client, not a promise.
      return void ctx.note(`admitted ${COUNTDOWN_MS} ms after a 429 that said Retry-After ${seconds}`);
    }
    const remaining = retryAfter(later, `the 429 ${COUNTDOWN_MS} ms later`);
    expectAgreement(later, remaining);
    ctx.note(remaining > seconds - 1 ? `the same Retry-After (${remaining} s) ${COUNTDOWN_MS} ms later: a constant, not a countdown` : `counts down: ${seconds} s, then ${remaining} s ${COUNTDOWN_MS} ms later`);
    ctx.partial('recovery after the full Retry-After was not awaited (--wait-retry-after waits it out)');
  },
};
