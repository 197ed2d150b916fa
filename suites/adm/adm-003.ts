import type { CheckDef } from '../../src/engine/check.js';
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
    if (seconds > MAX_WAIT_S) fail(`Retry-After ${seconds} s cannot be honoured within the check deadline`, `Retry-After ≤ ${MAX_WAIT_S} s`, raw, limited);
    ctx.note(`Retry-After: ${seconds}`);
    await ctx.sleep(seconds * 1000 + 200);
    expectSuccess(await p.client.manifest(), `GET manifest ${seconds} s (+200 ms) after the 429, as Retry-After said`);
  },
};
