import { Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { agentDraft, expectMarkedCount, idemKey, marker, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec005: CheckDef = {
  id: 'AUTOEXEC-005',
  safety: 'execute',
  needs: ['admin'],
  description: 'Inside an open window that allows the create action, execute:true with forceDraft:true still yields a pending draft and creates nothing (while the same request without forceDraft executes).',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-forcedraft', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, forceDraft: true, idempotencyKey: idemKey(ctx) });
      const data = expectSuccess<any>(ex, 'execute:true with forceDraft:true');
      if (data?.status !== 'draft' || typeof data?.draft?.id !== 'string') fail('forceDraft did not produce a draft', 'HTTP 200 data.status "draft"', describe(ex), ex);
      const seen = await agentDraft(p, data.draft.id, 'agent poll');
      if (seen.draft.status !== 'draft' || seen.execution !== null) {
        fail('the forced draft is not pending', 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
      }
      await expectMarkedCount(ctx, p, mark, 0, 'a forced draft ran');

      // Control: without forceDraft the window really executes, so the draft above is forceDraft's doing.
      const control = await requestCreate(ctx, p, marker(ctx), { execute: true, idempotencyKey: idemKey(ctx) });
      if (dataOf(control)?.status !== 'executed') {
        throw new Skip(`the open window did not auto-execute even without forceDraft (${describe(control)}), so forceDraft cannot be told apart`, 'see AUTOEXEC-002');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
