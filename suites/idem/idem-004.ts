import type { CheckDef } from '../../src/kit/check.js';
import { expectMarkedCount, rejectPending, reuseKeyWithOtherPayload, window } from '../lib-write.js';

export const idem004: CheckDef = {
  id: 'IDEM-004',
  safety: 'execute',
  needs: ['admin'],
  description: 'An idempotency key already executed with title A and re-sent with title B never creates B (and A stays exactly one).',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-swap', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const { markA, markB } = await reuseKeyWithOtherPayload(ctx, p);
      await expectMarkedCount(ctx, p, markB, 0, 'a re-used idempotency key ran a different payload');
      await expectMarkedCount(ctx, p, markA, 1, 'a re-used idempotency key ran the original payload again');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
