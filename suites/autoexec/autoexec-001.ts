import type { CheckDef } from '../../src/engine/check.js';
import { expectDraftRefusal, fail } from '../../src/engine/expect.js';
import { agentDraft, expectMarkedCount, idemKey, marker, rejectPending, requestCreate } from '../lib-write.js';

export const autoexec001: CheckDef = {
  id: 'AUTOEXEC-001',
  safety: 'draft',
  needs: ['admin'],
  description: 'execute:true from an app without auto-execution stays a pending draft with autoExecuteDeniedCode agent.auto_execute_disabled, and nothing is created.',
  expectedCodes: ['agent.auto_execute_disabled'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'autoexec-off' });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
      const { draft } = expectDraftRefusal(ex, 'agent.auto_execute_disabled', 'execute:true without auto-execution');
      const seen = await agentDraft(p, draft.id, 'agent poll');
      if (seen.draft.status !== 'draft' || seen.execution !== null) {
        fail('the refused auto-execution left a draft that is not pending', 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
      }
      await expectMarkedCount(ctx, p, mark, 0, 'a write refused auto-execution ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
