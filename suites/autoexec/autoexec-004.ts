import { Skip, ToolError, type CheckDef } from '../../src/engine/check.js';
import { expectDraftRefusal } from '../../src/engine/expect.js';
import { expectMarkedCount, expectWithheld, idemKey, marker, otherWriteAction, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec004: CheckDef = {
  id: 'AUTOEXEC-004',
  safety: 'draft',
  needs: ['admin'],
  description:
    "execute:true for an action missing from an open window's allowed_actions (which names another write tool) stays a draft with agent.auto_execute_denied, " +
    'and an empty allowed_actions allows nothing either; nothing is created.',
  expectedCodes: ['agent.auto_execute_denied'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const other = otherWriteAction(ctx, action);
    if (!other) throw new Skip(`the target has no low/medium write tool besides ${action} to fill allowed_actions with`, 'list another write tool in target.tools');
    const p = await ctx.persona({ name: 'autoexec-denied', autoExecute: { writes: window(ctx, [other]) } });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
      expectDraftRefusal(ex, 'agent.auto_execute_denied', `execute:true for ${action} under a window allowing only ${other}`);
      await expectMarkedCount(ctx, p, mark, 0, 'a write outside allowed_actions ran');

      // An empty list must not read as "no restriction". A server may store it as a disabled window.
      try {
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, []) });
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        ctx.note(`the admin plane refused an empty allowed_actions (${e.message}); that angle was not tried`);
        return;
      }
      const markEmpty = marker(ctx);
      const empty = await requestCreate(ctx, p, markEmpty, { execute: true, idempotencyKey: idemKey(ctx) });
      expectWithheld(empty, ['agent.auto_execute_denied', 'agent.auto_execute_disabled'], `execute:true for ${action} under a window with allowed_actions []`);
      await expectMarkedCount(ctx, p, markEmpty, 0, 'a write under an empty allowed_actions ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
