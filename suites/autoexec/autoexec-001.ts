import { ToolError, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectDraftRefusal, fail } from '../../src/kit/expect.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { agentDraft, expectMarkedCount, idemKey, justification, marker, otherWrites, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec001: CheckDef = {
  id: 'AUTOEXEC-001',
  safety: 'draft',
  needs: ['admin'],
  description:
    'execute:true from an app without auto-execution, and from one whose unexpired window allowing the action says enabled:false, ' +
    'stays a pending draft with autoExecuteDeniedCode agent.auto_execute_disabled, and nothing is created; without auto-execution, so does execute:true of every other write sample.',
  expectedCodes: ['agent.auto_execute_disabled'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const attempt = async (p: Persona, situation: string) => {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
      const { draft } = expectDraftRefusal(ex, 'agent.auto_execute_disabled', `execute:true ${situation}`);
      const seen = await agentDraft(p, draft.id, 'agent poll');
      if (seen.draft.status !== 'draft' || seen.execution !== null) {
        fail(`the refused auto-execution (${situation}) left a draft that is not pending`, 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
      }
      await expectMarkedCount(ctx, p, mark, 0, `a write refused auto-execution (${situation}) ran`);
    };
    const apps: string[] = [];
    try {
      const never = await ctx.persona({ name: 'autoexec-off' });
      apps.push(never.appId);
      await attempt(never, 'without auto-execution');
      // Every other write tool alike, with everything its gates ask for (a draft only, rejected below; one aimed
      // at a resource names the existing one): auto-execution is a policy of the app, never of a tool.
      for (const sample of otherWrites(ctx)) {
        const ex = await never.client.actions({ action: sample.action, payload: samplePayloadOf(ctx.target, sample.payload), execute: true, idempotencyKey: idemKey(ctx), justification: justification(ctx) });
        expectDraftRefusal(ex, 'agent.auto_execute_disabled', `execute:true for ${sample.action} without auto-execution`);
      }

      // `enabled` is the first gate: a window that would allow the write in every other respect must not open.
      let off: Persona;
      try {
        off = await ctx.persona({ name: 'autoexec-disabled', autoExecute: { writes: { ...window(ctx, [action]), enabled: false } } });
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        ctx.partial(`the admin plane refused a disabled window (${e.message}); only the unconfigured app was tried`);
        return;
      }
      apps.push(off.appId);
      await attempt(off, 'under a window with enabled:false');
    } finally {
      await rejectPending(ctx, ...apps);
    }
  },
};
