import { ToolError, type CheckDef, type Persona } from '../../src/kit/check.js';
import { expectDraftRefusal, fail } from '../../src/kit/expect.js';
import { samplePayloadOf } from '../../src/kit/helpers.js';
import { agentDraft, expectMarkedCount, idemKey, justification, marker, otherWrites, rejectPending, requestCreate, tierActions, window } from '../lib-write.js';

export const autoexec001: CheckDef = {
  id: 'AUTOEXEC-001',
  safety: 'draft',
  needs: ['admin'],
  description:
    'execute:true from an app without auto-execution, and from one whose unexpired window allowing the action says enabled:false, ' +
    'stays a pending draft with autoExecuteDeniedCode agent.auto_execute_disabled, and nothing is created; so does execute:true of every other write sample, without auto-execution and under windows of its tier allowing it with enabled:false.',
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
    // Every other write tool alike, with everything its gates ask for (a draft only, rejected below; one aimed
    // at a resource names the existing one): auto-execution is a policy of the app, never of a tool.
    const others = otherWrites(ctx);
    const everyOther = async (p: Persona, situation: string) => {
      for (const sample of others) {
        const ex = await p.client.actions({ action: sample.action, payload: samplePayloadOf(ctx.target, sample.payload), execute: true, idempotencyKey: idemKey(ctx), justification: justification(ctx) });
        expectDraftRefusal(ex, 'agent.auto_execute_disabled', `execute:true for ${sample.action} ${situation}`);
      }
    };
    const apps: string[] = [];
    try {
      const never = await ctx.persona({ name: 'autoexec-off' });
      apps.push(never.appId);
      await attempt(never, 'without auto-execution');
      await everyOther(never, 'without auto-execution');

      // `enabled` is the first gate: a window that would allow the write in every other respect must not open.
      let off: Persona;
      try {
        // Each tier's window allows every write tool of the tier, so that only `enabled` refuses them.
        const highs = tierActions(others, true);
        off = await ctx.persona({ name: 'autoexec-disabled', autoExecute: {
          writes: { ...window(ctx, [action, ...tierActions(others, false)]), enabled: false },
          ...(highs.length ? { high_risk: { ...window(ctx, highs), enabled: false } } : {}),
        } });
      } catch (e) {
        if (!(e instanceof ToolError)) throw e;
        ctx.partial(`the admin plane refused a disabled window (${e.message}); only the unconfigured app was tried`);
        return;
      }
      apps.push(off.appId);
      await attempt(off, 'under a window with enabled:false');
      await everyOther(off, 'under a window of its tier allowing it with enabled:false');
    } finally {
      await rejectPending(ctx, ...apps);
    }
  },
};
