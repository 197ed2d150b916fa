/** Fixed-window admission control per (key, client IP). */

export interface Admission {
  ok: boolean;
  /** Seconds until the window resets (≥ 1), for Retry-After. */
  resetSeconds: number;
}

/** One (key, IP) window. `ended`: expired or replaced by a newer window of its pair (its place in the queue is then skipped). */
interface Window {
  start: number;
  count: number;
  readonly keyId: string;
  readonly ip: string;
  ended: boolean;
}

export class FixedWindowLimiter {
  /**
   * The live windows by key, then by client IP: a key id and an address are strings the server holds already
   * (the key's record, the socket's address), so a lookup builds and hashes no string of its own, and each map
   * stays small however many pairs there are.
   */
  private readonly windows = new Map<string, Map<string, Window>>();
  /**
   * Every window in the order it started (a window that restarts is a new one at the end), so that expiry
   * looks only at the oldest: O(1) amortised per request at any number of (key, IP) pairs, and a window lives
   * at most one window.
   */
  private queue: Window[] = [];
  private head = 0;
  /** Live windows. */
  private live = 0;
  /** No live window ends before this: until then expiry has nothing to look at. */
  private nextExpiry = Infinity;
  /** The window admitted last: a client sends its requests from one key and address in a row. */
  private last: Window | undefined;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  admit(keyId: string, ip: string): Admission {
    const t = this.now();
    this.expire(t);
    let w = this.last;
    if (w === undefined || w.ended || w.keyId !== keyId || w.ip !== ip) w = this.windows.get(keyId)?.get(ip);
    // (Ended here too when a clock that went back left an old window behind a newer one.)
    if (!w || t - w.start >= this.windowMs) {
      if (w) this.end(w);
      w = { start: t, count: 0, keyId, ip, ended: false };
      if (this.live === 0) this.nextExpiry = t + this.windowMs;
      let byIp = this.windows.get(keyId);
      if (byIp === undefined) this.windows.set(keyId, (byIp = new Map()));
      byIp.set(ip, w);
      this.queue.push(w);
      this.live++;
    }
    this.last = w;
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
    if (w.count >= this.limit) return { ok: false, resetSeconds };
    w.count++;
    return { ok: true, resetSeconds };
  }

  /** How many (key, IP) windows are live (for tests and benchmarks). */
  get size(): number {
    return this.live;
  }

  /** RateLimit / RateLimit-Policy fields (IETF draft) plus Retry-After for a refusal. */
  headers(a: Admission): Record<string, string> {
    return {
      'retry-after': String(a.resetSeconds),
      'ratelimit-policy': `"default";q=${this.limit};w=${Math.ceil(this.windowMs / 1000)}`,
      ratelimit: `"default";r=0;t=${a.resetSeconds}`,
    };
  }

  /** Removes a live window from the maps; its queue entry stays, marked, until expiry reaches it. */
  private end(w: Window): void {
    w.ended = true;
    this.live--;
    const byIp = this.windows.get(w.keyId)!;
    byIp.delete(w.ip);
    if (byIp.size === 0) this.windows.delete(w.keyId);
  }

  /** Drops the windows that have ended, oldest first, stopping at the first live one. */
  private expire(t: number): void {
    if (t < this.nextExpiry) return;
    const q = this.queue;
    for (; this.head < q.length; this.head++) {
      const w = q[this.head]!;
      if (w.ended) continue;
      if (t - w.start < this.windowMs) {
        this.nextExpiry = w.start + this.windowMs;
        // The consumed front is cut off once it is half the array, so the queue never holds more than twice its windows.
        if (this.head > 64 && this.head * 2 > q.length) {
          this.queue = q.slice(this.head);
          this.head = 0;
        }
        return;
      }
      this.end(w);
    }
    this.queue = [];
    this.head = 0;
    this.nextExpiry = Infinity;
  }
}
