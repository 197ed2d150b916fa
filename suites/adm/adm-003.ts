import { Skip, type CheckDef } from '../../src/engine/check.js';
import { describe, expectSuccess, fail } from '../../src/engine/expect.js';
import { exhaust } from './exhaust.js';

/** What the check can wait for and still finish within the load deadline. */
const MAX_WAIT_S = 65;

export const adm003: CheckDef = {
  id: 'ADM-003',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  exclusive: true,
  description: 'A 429 carries Retry-After in delta-seconds, and a request sent once that delay has passed succeeds.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'adm003 retry-after' });
    const limited = await exhaust(ctx, p.client);
    const raw = limited.response.headers['retry-after'];
    if (raw === undefined) fail('the 429 has no Retry-After header', 'Retry-After: <delta-seconds>', describe(limited), limited);
    if (!/^\d+$/.test(raw.trim())) fail(`Retry-After is not delta-seconds: ${JSON.stringify(raw)}`, 'a non-negative integer', raw, limited);
    const seconds = Number(raw.trim());
    // A long window is legitimate; only the recovery half cannot be waited for.
    if (seconds > MAX_WAIT_S) throw new Skip(`Retry-After is delta-seconds (${seconds}), but longer than this check may wait (${MAX_WAIT_S} s): recovery after it was not verified`, 'a target whose rate-limit window is at most 65 s');
    ctx.note(`Retry-After: ${seconds}`);
    await ctx.sleep(seconds * 1000 + 200);
    const first = await p.client.manifest();
    if (first.response.status === 429) {
      // delta-seconds is whole seconds: a server rounding the remaining window down is late by under one.
      await ctx.sleep(1000);
      expectSuccess(await p.client.manifest(), `GET manifest ${seconds + 1} s (+200 ms) after the 429 (Retry-After said ${seconds} s, and ${seconds} s +200 ms was still ${describe(first)})`);
      ctx.note(`still limited ${seconds} s +200 ms after the 429; admitted one second later (Retry-After rounded down)`);
      return;
    }
    expectSuccess(first, `GET manifest ${seconds} s (+200 ms) after the 429, as Retry-After said`);
  },
};
