import type { CheckDef } from '../../src/kit/check.js';
import { expectDraftRefusal } from '../../src/kit/expect.js';
import { aMinuteAgo, expectMarkedCount, expireWritesWindow, idemKey, marker, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec003: CheckDef = {
  id: 'AUTOEXEC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'execute:true under a writes window that allows the action but has expired, an hour ago and only a minute ago (by the server\'s clock too, from its Date header), stays a draft with agent.auto_execute_expired, and nothing is created.',
  expectedCodes: ['agent.auto_execute_expired'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-expired' });
    try {
      const set = await expireWritesWindow(ctx, p, [action]);
      const refused = async (what: string) => {
        const mark = marker(ctx);
        const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
        expectDraftRefusal(ex, 'agent.auto_execute_expired', `execute:true under ${what}`);
        await expectMarkedCount(ctx, p, mark, 0, `a write under ${what} ran`);
      };
      await refused('a window that expired an hour ago');
      // §7 "window not expired": not an hour's grace, nor ten minutes'. A minute ago by the server's clock too.
      if (set) {
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [action], aMinuteAgo(ctx, set)) });
        await refused('a window that expired a minute ago');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
