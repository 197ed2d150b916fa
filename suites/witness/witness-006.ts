import { Skip, type CheckDef } from '../../src/kit/check.js';
import { codeOf, describe, fail } from '../../src/kit/expect.js';
import { agentDraft, createResource, draftWrite, drift, payloadFor, rejectPending } from '../lib-write.js';

export const witness006: CheckDef = {
  id: 'WITNESS-006',
  safety: 'execute',
  needs: ['admin'],
  description:
    'A pending high-risk draft whose resource drifted is approved; once the approval has failed closed (409 agent.precondition_failed), the agent\'s poll of the draft must not read status confirmed.',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-status' });
    try {
      const r = await createResource(ctx, p);
      const id = await draftWrite(p, highRisk.action, payloadFor(highRisk, r));
      await drift(ctx, p, r);
      const ap = await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`);
      // Only a refusal that failed closed says anything about the status it leaves; anything else is WITNESS-003's.
      if (codeOf(ap) !== 'agent.precondition_failed') throw new Skip(`the approval of the stale draft did not fail closed (${describe(ap)}; see WITNESS-003)`);
      const seen = await agentDraft(p, id, 'agent poll after the refused approval');
      if (seen.draft.status === 'confirmed') {
        fail(`after the refused approval the ${highRisk.action} draft reads confirmed although it never ran`, 'status draft or failed', `status confirmed, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
      }
      ctx.note(`the draft reads ${String(seen.draft.status)} after the refused approval`);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
