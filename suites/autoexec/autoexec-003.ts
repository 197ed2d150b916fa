import type { CheckDef } from '../../src/kit/check.js';
import { expectDraftRefusal } from '../../src/kit/expect.js';
import { expectMarkedCount, expireWritesWindow, idemKey, marker, rejectPending, requestCreate } from '../lib-write.js';

export const autoexec003: CheckDef = {
  id: 'AUTOEXEC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'execute:true under a writes window that allows the action but has expired stays a draft with agent.auto_execute_expired, and nothing is created.',
  expectedCodes: ['agent.auto_execute_expired'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-expired' });
    try {
      await expireWritesWindow(ctx, p, [action]);
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
      expectDraftRefusal(ex, 'agent.auto_execute_expired', 'execute:true under an expired window');
      await expectMarkedCount(ctx, p, mark, 0, 'a write under an expired window ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
