// The virtual clock the embedded run shares with its runtime: time moves only when someone waits, so a
// rate window or a countdown is met by the run's own waits and never by the machine's speed.
import { describe, expect, it } from 'vitest';
import { virtualClock, wallClock } from '../../src/runner/clock.js';
import { FixedWindowLimiter } from '../../src/runtime/admission.js';

describe('virtualClock', () => {
  it('stands still while work is done and moves by exactly the time waited', async () => {
    const c = virtualClock(1_000);
    // Real work in between (a busy loop of a few ms) does not move it.
    const until = Date.now() + 5;
    while (Date.now() < until);
    expect(c.now()).toBe(1_000);
    await c.sleep(250);
    expect(c.now()).toBe(1_250);
    await c.sleep(0);
    expect(c.now()).toBe(1_250);
  });

  it('lets concurrent waits overlap as on a wall clock: it ends at the latest wake-up, not their sum', async () => {
    const c = virtualClock(0);
    const woke: number[] = [];
    await Promise.all([1_000, 2_000, 500].map(async (ms) => {
      await c.sleep(ms);
      woke.push(c.now());
    }));
    expect(c.now()).toBe(2_000);
    for (const t of woke) expect(t).toBeGreaterThanOrEqual(500);
  });

  it('rejects a wait whose signal is aborted, before or during it, and leaves the clock where it was', async () => {
    const c = virtualClock(0);
    const before = new AbortController();
    before.abort();
    await expect(c.sleep(1_000, before.signal, 'ADM-003')).rejects.toMatchObject({ code: 'OPC_E_ABORTED', message: 'ADM-003: aborted' });
    const during = new AbortController();
    const waiting = c.sleep(1_000, during.signal);
    during.abort();
    await expect(waiting).rejects.toMatchObject({ code: 'OPC_E_ABORTED' });
    expect(c.now()).toBe(0);
    await expect(wallClock.sleep(60_000, before.signal)).rejects.toMatchObject({ code: 'OPC_E_ABORTED' });
  });

  it('drives a fixed-window limiter: a burst of any length lands in one window, a wait of one window opens the next', async () => {
    const c = virtualClock(10_000);
    const limiter = new FixedWindowLimiter(30, 1_000, c.now);
    const admitted = Array.from({ length: 61 }, () => limiter.admit('key', '127.0.0.1')).filter((d) => d.ok).length;
    expect(admitted).toBe(30);
    await c.sleep(1_000);
    expect(limiter.admit('key', '127.0.0.1').ok).toBe(true);
  });
});
