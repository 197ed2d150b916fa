/** Fixed-window admission control per (key, client IP). */

export interface Admission {
  ok: boolean;
  /** Seconds until the window resets (≥ 1), for Retry-After. */
  resetSeconds: number;
}

export class FixedWindowLimiter {
  /**
   * The live windows in the order they started (a window that restarts is re-inserted at the end), so that
   * expiry looks only at the oldest: O(1) amortised per request at any number of (key, IP) pairs, and an entry
   * lives at most one window.
   */
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** No live window ends before this: until then expiry has nothing to look at (not even an iterator to make). */
  private nextExpiry = Infinity;
  /** The last (key, IP) admitted and its window's name. */
  private lastKeyId = '';
  private lastIp = '';
  private lastId = '\u0000';

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  admit(keyId: string, ip: string): Admission {
    const t = this.now();
    this.expire(t);
    // A client sends its requests from one key and address in a row: their window's name is built once, not per request.
    if (keyId !== this.lastKeyId || ip !== this.lastIp) {
      this.lastKeyId = keyId;
      this.lastIp = ip;
      this.lastId = `${keyId}\u0000${ip}`;
    }
    const id = this.lastId;
    let w = this.windows.get(id);
    // (Ended here too when a clock that went back left an old window behind a newer one.)
    if (!w || t - w.start >= this.windowMs) {
      this.windows.delete(id);
      w = { start: t, count: 0 };
      if (this.windows.size === 0) this.nextExpiry = t + this.windowMs;
      this.windows.set(id, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
    if (w.count >= this.limit) return { ok: false, resetSeconds };
    w.count++;
    return { ok: true, resetSeconds };
  }

  /** How many (key, IP) windows are live (for tests and benchmarks). */
  get size(): number {
    return this.windows.size;
  }

  /** RateLimit / RateLimit-Policy fields (IETF draft) plus Retry-After for a refusal. */
  headers(a: Admission): Record<string, string> {
    return {
      'retry-after': String(a.resetSeconds),
      'ratelimit-policy': `"default";q=${this.limit};w=${Math.ceil(this.windowMs / 1000)}`,
      ratelimit: `"default";r=0;t=${a.resetSeconds}`,
    };
  }

  /** Drops the windows that have ended, oldest first, stopping at the first live one. */
  private expire(t: number): void {
    if (t < this.nextExpiry) return;
    for (const [id, w] of this.windows) {
      if (t - w.start < this.windowMs) {
        this.nextExpiry = w.start + this.windowMs;
        return;
      }
      this.windows.delete(id);
    }
    this.nextExpiry = Infinity;
  }
}
