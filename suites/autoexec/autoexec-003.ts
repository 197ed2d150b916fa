import type { CheckDef } from '../../src/kit/check.js';
import { expectDraftRefusal } from '../../src/kit/expect.js';
import { HOUR, JUST_EXPIRED_MS, agoOnServer, expectMarkedCount, expireWritesWindow, idemKey, marker, rejectPending, requestCreate, setAutoExecuteIfValid, window, withNumericOffset } from '../lib-write.js';


export const autoexec003: CheckDef = {
  id: 'AUTOEXEC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'execute:true under a writes window that allows the action but has expired, an hour ago, a minute ago and only 2 s ago (by the server\'s clock too, from its Date header), and an hour ago with expires_at written with the numeric offset "+00:00" (unless the admin plane refuses that form as a validation failure), stays a draft with agent.auto_execute_expired, and nothing is created.',
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
      await refused(set ? 'a window that expired an hour ago' : 'a window that has just expired');
      // §7 "window not expired": not an hour's grace, nor ten minutes', nor seconds'. A minute ago and 2 s ago by the
      // server's clock too (each from the Date header of the answer just before it).
      if (set) {
        const minute = await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [action], agoOnServer(ctx, set, 60_000)) });
        await refused('a window that expired a minute ago');
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [action], agoOnServer(ctx, minute, JUST_EXPIRED_MS)) });
        await refused(`a window that expired ${JUST_EXPIRED_MS / 1000} s ago`);
        // The same kind of instant written with a numeric offset (RFC 3339's "+00:00") expires alike. The brief fixes no
        // timestamp form: a server may refuse this one at PATCH time, and then it is not judged.
        if (await setAutoExecuteIfValid(ctx, p, { writes: withNumericOffset(window(ctx, [action], -HOUR)) }) === 'refused') {
          ctx.partial('the admin plane refused a writes expires_at written with the offset "+00:00" (400 common.validation): that form was not judged');
        } else await refused('a window that expired an hour ago, its expires_at written with the offset "+00:00"');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
