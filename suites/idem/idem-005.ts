import type { CheckDef } from '../../src/kit/check.js';
import { expectError } from '../../src/kit/expect.js';
import { expectMarkedCount, rejectPending, reuseKeyWithOtherPayload, window } from '../lib-write.js';

export const idem005: CheckDef = {
  id: 'IDEM-005',
  safety: 'execute',
  needs: ['admin'],
  description: 'An idempotency key already executed with one payload and re-sent with another is refused with 409/422 agent.idempotency_mismatch, creating nothing.',
  expectedCodes: ['agent.idempotency_mismatch'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-mismatch', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const { second, markB } = await reuseKeyWithOtherPayload(ctx, p);
      expectError(second, 'agent.idempotency_mismatch', 'idempotency key re-used with a different payload');
      await expectMarkedCount(ctx, p, markB, 0, 'the refused payload ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
