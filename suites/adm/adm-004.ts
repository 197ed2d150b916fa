import { Skip, type CheckDef } from '../../src/kit/check.js';
import { expectSuccess } from '../../src/kit/expect.js';
import { pastLimitKey } from './exhaust.js';

export const adm004: CheckDef = {
  id: 'ADM-004',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  description: "A key past its rate limit from one client address is still admitted from a second address: the window is per key and client IP, not per key alone.",
  expectedCodes: ['agent.rate_limited'],
  async run(ctx) {
    // Before any burst: a run that has no second address spends nothing on one. (The transport finds the
    // address; the token only makes the client.)
    const probe = await ctx.fromSecondAddress('');
    if ('why' in probe) throw new Skip(`no second client address to send from: ${probe.why}`, 'run on the server\'s host against an IPv4 loopback URL (127.0.0.1), or embedded');
    const { token } = await pastLimitKey(ctx, 'adm004 two addresses');
    const second = await ctx.fromSecondAddress(token);
    if ('why' in second) throw new Skip(`no second client address to send from: ${second.why}`, 'run on the server\'s host against an IPv4 loopback URL (127.0.0.1), or embedded');
    // "(7) rate limit on (key, client IP)" (§6), "per key and client IP" (§9): the budget the first address
    // spent is not the second address's. (A window that rolled over meanwhile would admit it too: never a false alarm.)
    expectSuccess(await second.client.manifest(), `the same key from ${second.ip} while its window from the first address is past the limit`);
    ctx.note(`the same key from ${second.ip} was admitted`);
  },
};
