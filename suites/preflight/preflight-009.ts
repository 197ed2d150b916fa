import type { CheckDef } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { listDrafts } from '../../src/kit/helpers.js';
import { dataOf } from '../../src/kit/clients.js';
import { expectMarkedCount, preflight, preflightedCreate, rejectPending } from '../lib-write.js';

/** §2: a preflight record is "short-lived (10 min)". */
export const PREFLIGHT_LIFETIME_MS = 10 * 60_000;
/** Past the lifetime by enough that the server's clock and ours need not agree to the second. */
const MARGIN_MS = 5_000;

export const preflight009: CheckDef = {
  id: 'PREFLIGHT-009',
  safety: 'draft',
  needs: ['admin'],
  description: `A preflightId presented ${PREFLIGHT_LIFETIME_MS / 60_000} min and ${MARGIN_MS / 1000} s after its preflight is refused with 400 agent.preflight_not_found and drafts nothing; a fresh preflight of the same key then drafts fine.`,
  expectedCodes: ['agent.preflight_not_found'],
  // Against a server's wall clock the ten minutes are really waited out, only under --long-waits; in-process
  // the run's virtual clock moves them at once. Alone, so that no other check's preflight ages with it.
  waitsMs: PREFLIGHT_LIFETIME_MS + MARGIN_MS,
  exclusive: true,
  async run(ctx) {
    const { create } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-expiry' });
    try {
      const { mark, payload, preflightId } = await preflightedCreate(ctx, p);

      await ctx.windowClock.sleep(PREFLIGHT_LIFETIME_MS + MARGIN_MS);
      // §5: agent.preflight_not_found [400] (unknown, expired, …).
      const late = await p.client.actions({ action: create.action, preflightId });
      expectError(late, 'agent.preflight_not_found', `a preflightId presented ${PREFLIGHT_LIFETIME_MS / 60_000} min after its preflight`);
      const drafts = await listDrafts(ctx, p.appId);
      if (drafts.length) fail('the expired preflightId still created a draft', 'no draft', drafts.map((d) => `${d.id} (${d.action_type})`).join(', '), late);
      await expectMarkedCount(ctx, p, mark, 0, 'an expired preflightId wrote');

      // Control: the same key drafts from a fresh preflight, so the refusal is about the lifetime.
      const fresh = await preflight(p, create.action, payload);
      if (typeof fresh.preflightId !== 'string') fail('preflight returned no preflightId', 'data.preflightId', 'none');
      const own = await p.client.actions({ action: create.action, preflightId: fresh.preflightId });
      if (dataOf(own)?.status !== 'draft') fail('a fresh preflightId is refused too', 'HTTP 200 data.status "draft"', describe(own), own);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
