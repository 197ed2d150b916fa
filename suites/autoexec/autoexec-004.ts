import { Skip, ToolError, type CheckDef } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectDraftRefusal } from '../../src/kit/expect.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { expectMarkedCount, idemKey, marker, otherWriteAction, otherWrites, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec004: CheckDef = {
  id: 'AUTOEXEC-004',
  safety: 'draft',
  needs: ['admin'],
  description:
    "execute:true for an action missing from an open window's allowed_actions (which names another write tool) stays a draft with agent.auto_execute_denied (the create, and every other " +
    'low- or medium-risk write sample under a window allowing only the create), ' +
    'and nothing is created. An empty allowed_actions is tried too and only noted: the brief does not say what an empty list means.',
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

      // Every other write tool of the writes tier alike, under a window allowing only the create (a draft only,
      // rejected below; one aimed at a resource names the existing one).
      const tier = otherWrites(ctx).filter((s) => s.risk !== 'high');
      if (tier.length) await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [action]) });
      for (const sample of tier) {
        const ex = await p.client.actions({ action: sample.action, payload: samplePayloadOf(ctx.target, sample.payload), execute: true, idempotencyKey: idemKey(ctx) });
        expectDraftRefusal(ex, 'agent.auto_execute_denied', `execute:true for ${sample.action} under a window allowing only ${action}`);
      }

      // What an empty list means is the server's choice (none, or no restriction); it is recorded, not judged.
      try {
        await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, []) });
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        ctx.partial(`the admin plane refused an empty allowed_actions (${e.message}); that angle was not tried`);
        return;
      }
      const markEmpty = marker(ctx);
      const empty = await requestCreate(ctx, p, markEmpty, { execute: true, idempotencyKey: idemKey(ctx) });
      const withheld = dataOf(empty)?.status === 'draft';
      ctx.note(`allowed_actions []: ${withheld ? `withheld (${String(dataOf(empty)?.autoExecuteDeniedCode)})` : `not withheld (${describe(empty)}), read as no restriction`}`);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
