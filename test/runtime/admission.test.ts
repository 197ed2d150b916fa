// The reference runtime's limiter: a fixed window per (key, client IP), whose bookkeeping keeps only live
// windows, so its cost per request does not grow with the number of pairs it has seen (driven by a fake clock).
import { describe, expect, it } from 'vitest';
import { FixedWindowLimiter } from '../../src/runtime/admission.js';

describe('FixedWindowLimiter', () => {
  it('admits `limit` requests per window per (key, IP), with the seconds to the reset', () => {
    let now = 0;
    const l = new FixedWindowLimiter(2, 1000, () => now);
    expect(l.admit('k', 'a')).toEqual({ ok: true, resetSeconds: 1 });
    expect(l.admit('k', 'a').ok).toBe(true);
    expect(l.admit('k', 'a')).toEqual({ ok: false, resetSeconds: 1 });
    // Another IP and another key have windows of their own.
    expect(l.admit('k', 'b').ok).toBe(true);
    expect(l.admit('j', 'a').ok).toBe(true);
    now = 999;
    expect(l.admit('k', 'a').ok).toBe(false);
    now = 1000;
    expect(l.admit('k', 'a').ok).toBe(true);
  });

  it('keeps only live windows: 50 000 pairs seen in one window are gone once it has passed', () => {
    let now = 0;
    const l = new FixedWindowLimiter(10, 1000, () => now);
    for (let i = 0; i < 50_000; i++) l.admit(`key${i % 500}`, `10.0.${i >> 8 & 255}.${i & 255}`);
    expect(l.size).toBe(50_000);
    now = 500;
    l.admit('late', 'x');
    expect(l.size).toBe(50_001);
    now = 1000;
    expect(l.admit('next', 'y').ok).toBe(true);
    // Only the windows that started at 500 and 1000 are left.
    expect(l.size).toBe(2);
  });

  it('a clock that goes back does not let an ended window refuse', () => {
    let now = 5000;
    const l = new FixedWindowLimiter(1, 1000, () => now);
    l.admit('a', 'x');
    now = 100;
    l.admit('b', 'x');
    now = 6000;
    expect(l.admit('a', 'x').ok).toBe(true);
  });
});
