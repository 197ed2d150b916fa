import type { CheckDef } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { agentDraft, createdId, expectMarkedCount, marker, rejectPending, draftCreate } from '../lib-write.js';

export const write002: CheckDef = {
  id: 'WRITE-002',
  safety: 'execute',
  needs: ['admin'],
  description: 'Admin approval of a pending create executes it once: the agent then sees status confirmed with the same execution, and exactly one resource exists.',
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-approve' });
    try {
      const mark = marker(ctx);
      const id = await draftCreate(ctx, p, mark);
      const ap = await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`);
      // The brief fixes no response shape for approve (§3); the agent's poll is the execution's fixed view.
      const returned = expectSuccess<any>(ap, 'admin approve')?.execution;
      const seen = await agentDraft(p, id, 'agent poll after approval');
      if (seen.draft.status !== 'confirmed') fail('the approved draft is not confirmed', 'draft.status "confirmed"', `draft.status ${JSON.stringify(seen.draft.status)}`);
      const execution = seen.execution;
      if (execution?.status !== 'success' || typeof execution?.id !== 'string') {
        fail('approval did not execute the draft', 'GET /drafts/{id} execution {id, status:"success"}', `${describe(ap)}; poll execution ${JSON.stringify(execution)?.slice(0, 160)}`, ap);
      }
      if (returned !== undefined && returned?.id !== execution.id) {
        fail('GET /drafts/{id} does not show the execution the approval returned', `execution.id ${String(returned?.id)}`, `execution ${JSON.stringify(execution.id)}`);
      }
      const [item] = await expectMarkedCount(ctx, p, mark, 1, 'approval must execute exactly once');
      const created = createdId(ctx, execution);
      if (created !== undefined && item[ctx.target.readBack.idField] !== created) {
        fail('the resource read back is not the one the execution reports', `id ${created}`, `id ${String(item[ctx.target.readBack.idField])}`);
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
