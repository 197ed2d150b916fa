/**
 * A paced, measured burst against a rate limit (brief section 9: "per key and client IP"). A check that needs
 * a 429 sends the same request from one key until the first 429, and knows what rate it actually achieved:
 * a server must not be blamed for a limit the tool never reached (a slow link or a loaded machine sends
 * fewer requests per window than the loop count suggests).
 *
 * What proves a missing 429: 2·limit + 1 requests that all reached the server inside one span of windowMs
 * (each request was sent and answered inside the span, so it arrived inside it). A fixed window of any phase
 * meets at most two such windows, one of which then admitted more than `limit`; a sliding window or a token
 * bucket of that limit (and burst ≤ limit) refuses sooner. Anything less is reported as what it achieved.
 *
 * The burst adapts to the latency it observes: it starts with one request at a time and widens to as many
 * parallel requests as put a proof's worth of requests into half a window, at most MAX_PARALLEL.
 */
import type { AgentClient, CheckContext, Exchange, Persona } from './check.js';

/** Requests in flight at once, at most: a burst never opens more connections than this. */
export const MAX_PARALLEL = 32;

/** A Retry-After in delta-seconds (RFC 9110 §10.2.3), or undefined when it is absent or another form (an HTTP-date). */
export function retryAfterSeconds(raw: string | readonly string[] | undefined): number | undefined {
  const text = (typeof raw === 'string' ? raw : raw?.[0])?.trim();
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
}
/** The burst stops after this many times the requests a proof needs. */
const CAP_FACTOR = 3;

export interface BurstOutcome {
  /** The first 429 (in completion order), when one came. */
  limited?: Exchange;
  /** Requests sent in all. */
  sent: number;
  /** Requests sent and answered inside one span of windowMs, at most (the achieved rate per window). */
  achieved: number;
  /** The requests a proof of a missing 429 needs in one window: 2·limit + 1. */
  needed: number;
  /** The widest parallelism the burst used. */
  parallel: number;
  /** The median latency it observed, ms. */
  latencyMs: number;
  /** From the first request sent to the last answer, ms: with `sent`, the rate the burst achieved. */
  spanMs: number;
  /** The last exchange sent (evidence when no 429 came). */
  last?: Exchange;
}

/** The most requests a burst against `limit` sends. */
export function burstCap(limit: number): number {
  return CAP_FACTOR * (2 * limit + 1);
}

interface Timed { start: number; end: number }

/** The most requests whose [start, end] lies inside one span of `windowMs`. */
export function mostInOneWindow(times: readonly Timed[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a.start - b.start);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    const to = sorted[i]!.start + windowMs;
    let n = 0;
    for (let j = i; j < sorted.length && sorted[j]!.start <= to; j++) if (sorted[j]!.end <= to) n++;
    best = Math.max(best, n);
  }
  return best;
}

function spanOf(times: readonly Timed[]): number {
  let first = Infinity;
  let last = -Infinity;
  for (const t of times) {
    first = Math.min(first, t.start);
    last = Math.max(last, t.end);
  }
  return times.length ? Math.round(last - first) : 0;
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : 0;
}

/** How one wave's latency sets the next wave's width: a proof's worth of requests in half a window. */
export function widthFor(needed: number, latencyMs: number, windowMs: number): number {
  return Math.max(1, Math.min(MAX_PARALLEL, Math.ceil((needed * Math.max(latencyMs, 1)) / (windowMs / 2))));
}

/** A refusal by the rate limiter, as a burst recognises it by default: HTTP 429. */
const isHttp429 = (ex: Exchange): boolean => ex.response.status === 429;

export interface BurstOptions {
  /** Sees every answer as it comes (a check judging each one throws from it). */
  onAnswer?: (ex: Exchange) => void;
  /** What a refusal by the rate limiter is, when a binding carries it otherwise than as HTTP 429. */
  limited?: (ex: Exchange) => boolean;
  /** Requests in flight at once after the first, at least (default 1: as latency asks, see widthFor). */
  minWidth?: number;
}

/**
 * Send `request` until the first refusal by the rate limiter or until the achieved rate proves the limit was
 * not enforced (or the cap). The first request goes alone and is journalled whole; the rest is bulk traffic.
 */
export async function burst(ctx: CheckContext, request: () => Promise<Exchange>, { onAnswer, limited = isHttp429, minWidth = 1 }: BurstOptions = {}): Promise<BurstOutcome> {
  const { limit, windowMs } = ctx.target.rateLimit;
  const needed = 2 * limit + 1;
  const cap = burstCap(limit);
  const times: Timed[] = [];
  const latencies: number[] = [];
  let width = 1;
  let widest = 1;
  let last: Exchange | undefined;
  const outcome = (limited?: Exchange): BurstOutcome => ({
    ...(limited ? { limited } : {}), sent: times.length, achieved: mostInOneWindow(times, windowMs), needed, parallel: widest, latencyMs: Math.round(median(latencies)), spanMs: spanOf(times), last,
  });
  while (times.length < cap) {
    const n = Math.min(width, cap - times.length);
    const first = times.length === 0;
    const wave = await Promise.all(Array.from({ length: n }, async () => {
      const start = ctx.windowClock.now();
      const ex = first ? await request() : await ctx.bulk(request);
      const end = ctx.windowClock.now();
      times.push({ start, end });
      latencies.push(end - start);
      onAnswer?.(ex);
      return { ex, end };
    }));
    widest = Math.max(widest, n);
    last = wave.at(-1)!.ex;
    const refused = wave.filter((w) => limited(w.ex)).sort((a, b) => a.end - b.end)[0];
    if (refused) return outcome(refused.ex);
    // Asked after every wave: while the whole burst lies inside one window, that is all of it.
    const inOne = spanOf(times) <= windowMs ? times.length : mostInOneWindow(times, windowMs);
    if (inOne >= needed) return outcome();
    width = Math.max(minWidth, widthFor(needed, median(latencies.slice(-n)), windowMs));
  }
  return outcome();
}

/**
 * What a burst repeats: the cheapest authenticated request the target description names, a read that needs no
 * argument (a short list, where the manifest lists every tool with its schemas); GET manifest when every read
 * needs one. The limit is per key and client IP, not per route (§6 step 7), so any agent request counts.
 */
export function burstRequest(ctx: CheckContext, client: AgentClient): { what: string; send: () => Promise<Exchange> } {
  const read = ctx.target.reads.find((r) => Object.keys(r.query ?? {}).length === 0);
  return read ? { what: `read ${read.tool}`, send: () => client.read(read.tool) } : { what: 'GET manifest', send: () => client.manifest() };
}

/** One line saying what a burst achieved, for notes, skips and findings. */
export function achievedText(o: BurstOutcome, windowMs: number): string {
  const rate = o.spanMs > 0 ? `, ${Math.round((o.sent * 1000) / o.spanMs)} requests/s` : '';
  return `${o.sent} requests, at most ${o.achieved} inside one ${windowMs} ms window (${o.needed} prove a missing limit), up to ${o.parallel} in parallel, median latency ${o.latencyMs} ms, in ${o.spanMs} ms${rate}`;
}

/**
 * Requests in flight at once while the shared window is filled, at least. That fill is a long pole of a run
 * (ADM-003's Retry-After countdown starts once the window is full), and one request at a time, which is all a
 * proof needs against a 60 s window, takes a round trip per request. Its users judge what a full window
 * answers; a check that must judge requests the window may have admitted repeats on a key of its own, filled
 * as latency asks (suites/adm/exhaust.ts).
 */
export const SHARED_FILL_WIDTH = 8;

/** A key of the run's shared rate-limit window, past its limit, with the asking check's own first 429 on it. */
export interface SharedWindow {
  /** A client of the key, sending as the asking check. */
  client: AgentClient;
  token: string;
  appId: string;
  /** The asking check's own first request past the limit: a 429. */
  limited: Exchange;
  /** The burst that filled the window (sent by the check that asked first). */
  outcome: BurstOutcome;
  /** What the burst repeated, in words ("read " and the tool, or "GET manifest"). */
  what: string;
}

/**
 * One key per run whose window (per key and client IP, §6 step 7) one burst fills for every check that asks:
 * checks that judge what a full window answers (its 429s, its Retry-After, the same key from another address)
 * need not fill one each. The persona and the burst are made by the first check to ask (its requests); each
 * asking check then sends the burst request itself, and that 429 is its own evidence. Undefined when the
 * burst met no 429 or that request was admitted (the window rolled over, or it could not be made): the
 * check then exhausts a key of its own, as it would alone. A key shared so is never filled again: a check
 * that needs a full window once more takes a key of its own, so another check's countdown is never reset.
 */
export async function sharedWindow(ctx: CheckContext): Promise<SharedWindow | undefined> {
  try {
    const persona = await ctx.shared<Persona>('rate-limit window: persona', () => ctx.persona({ name: 'rate-limit window' }));
    const fill = await ctx.shared('rate-limit window: burst', async () => {
      const request = burstRequest(ctx, ctx.client(persona.token));
      return { outcome: await burst(ctx, request.send, { minWidth: SHARED_FILL_WIDTH }), what: request.what };
    });
    if (!fill.outcome.limited) return undefined;
    const client = ctx.client(persona.token);
    const own = await burstRequest(ctx, client).send();
    if (own.response.status !== 429) return undefined;
    return { client, token: persona.token, appId: persona.appId, limited: own, ...fill };
  } catch (e) {
    // Made by another check that stopped (its deadline) or failed: this check exhausts a key of its own, where
    // the same failure, if it is one, is its own to report.
    if (ctx.signal.aborted) throw e;
    return undefined;
  }
}
