/** Fixed-window admission control per (key, client IP). */

export interface Admission {
  ok: boolean;
  /** Seconds until the window resets (≥ 1), for Retry-After. */
  resetSeconds: number;
}

export class FixedWindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number,
  ) {}

  admit(keyId: string, ip: string): Admission {
    const t = this.now();
    const id = `${keyId}\u0000${ip}`;
    let w = this.windows.get(id);
    if (!w || t - w.start >= this.windowMs) {
      if (this.windows.size > 10_000) this.prune(t);
      w = { start: t, count: 0 };
      this.windows.set(id, w);
    }
    const resetSeconds = Math.max(1, Math.ceil((w.start + this.windowMs - t) / 1000));
    if (w.count >= this.limit) return { ok: false, resetSeconds };
    w.count++;
    return { ok: true, resetSeconds };
  }

  /** RateLimit / RateLimit-Policy fields (IETF draft) plus Retry-After for a refusal. */
  headers(a: Admission): Record<string, string> {
    return {
      'retry-after': String(a.resetSeconds),
      'ratelimit-policy': `"default";q=${this.limit};w=${Math.ceil(this.windowMs / 1000)}`,
      ratelimit: `"default";r=0;t=${a.resetSeconds}`,
    };
  }

  private prune(t: number): void {
    for (const [id, w] of this.windows) if (t - w.start >= this.windowMs) this.windows.delete(id);
  }
}
