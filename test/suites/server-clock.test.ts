// Keys and windows that must expire soon (where a server refuses a past expiry) are timed on the server's clock,
// read from its Date header (to the second, stamped while the request was out), never on ours alone.
import { describe, expect, it } from 'vitest';
import type { CheckContext, Exchange } from '../../src/kit/check.js';
import { clockOffset, setExpiringSoon, soonOnServer } from '../../suites/lib-write.js';

const NOW = Date.UTC(2026, 11, 7, 12, 0, 0, 400);
const ctx = { now: () => NOW } as unknown as CheckContext;
const answer = (date: string | undefined, durationMs = 40) => ({ response: { status: 200, headers: date ? { date } : {}, text: '' }, durationMs }) as unknown as Exchange;

describe('the server clock read from an answer', () => {
  it('bounds the offset by the Date header\'s second and the time the request was out', () => {
    // The server's Date reads 12:00:02 while ours read 12:00:00.36…12:00:00.40: it is 1.6 s to 2.64 s ahead.
    expect(clockOffset(ctx, answer('Mon, 07 Dec 2026 12:00:02 GMT'))).toEqual({ low: 1600, high: 2640 });
    // 0.6 s behind: its Date still reads 11:59:59.
    expect(clockOffset(ctx, answer('Mon, 07 Dec 2026 11:59:59 GMT'))).toEqual({ low: -1400, high: -360 });
    expect(clockOffset(ctx, answer(undefined))).toEqual({ low: 0, high: 0 });
  });

  it('a soon instant is at least the lead ahead on the server whatever it reads, and is waited out there, a rounded second included', () => {
    for (const date of ['Mon, 07 Dec 2026 12:00:02 GMT', 'Mon, 07 Dec 2026 11:59:59 GMT', 'Mon, 07 Dec 2026 12:00:00 GMT']) {
      const offset = clockOffset(ctx, answer(date));
      const { at, passed } = soonOnServer(ctx, offset);
      // Every server clock the answer allows: the instant is ≥ 1.5 s ahead of it now, and behind it (plus a second) at `passed`.
      for (const serverOffset of [offset.low, (offset.low + offset.high) / 2, offset.high]) {
        expect(at - (NOW + serverOffset), date).toBeGreaterThanOrEqual(1500);
        expect(passed + serverOffset - (at + 1000), date).toBeGreaterThanOrEqual(0);
      }
    }
  });

  it('waits by the clock of the answer that took the expiry too, where it reads further behind than the refusal\'s (a proxy\'s Date on refusals)', async () => {
    const refusal = answer('Mon, 07 Dec 2026 12:00:00 GMT');
    const accepted = { ...answer('Mon, 07 Dec 2026 11:59:58 GMT'), response: { status: 200, headers: { date: 'Mon, 07 Dec 2026 11:59:58 GMT' }, text: '' } } as unknown as Exchange;
    const asked: number[] = [];
    const { passed } = await setExpiringSoon(ctx, clockOffset(ctx, refusal), 'a window', async (at) => (asked.push(at), accepted));
    // 11:59:58 while ours read 12:00:00.36…: the server is up to 2.4 s behind, so its clock passes the expiry (plus a second) that much later.
    expect(passed).toBeGreaterThanOrEqual(asked[0]! + 1000 + 2360);
    expect(asked).toHaveLength(1);
  });
});

