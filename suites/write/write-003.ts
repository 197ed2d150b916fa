import type { CheckDef } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { agentDraft, expectMarkedCount, marker, rejectPending, draftCreate } from '../lib-write.js';

export const write003: CheckDef = {
  id: 'WRITE-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'Admin rejection cancels a pending create: the agent sees status canceled with no execution, and nothing is created.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-reject' });
    try {
      const mark = marker(ctx);
      const id = await draftCreate(ctx, p, mark);
      expectSuccess(await ctx.admin.reject(id, `openport-conform ${ctx.checkId}`), 'admin reject');
      const seen = await agentDraft(p, id, 'agent poll after rejection');
      if (seen.draft.status !== 'canceled' || seen.execution !== null) {
        fail('the rejected draft is not canceled without execution', 'status canceled, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution)?.slice(0, 120)}`);
      }
      await expectMarkedCount(ctx, p, mark, 0, 'a rejected draft ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
