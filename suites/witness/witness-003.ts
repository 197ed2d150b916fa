import { Skip, type CheckDef } from '../../src/engine/check.js';
import { expectError, fail } from '../../src/engine/expect.js';
import { auditFor } from '../../src/engine/helpers.js';
import { agentDraft, createResource, dataOf, drift, expectIntact, payloadFor, rejectPending } from '../lib-write.js';

export const witness003: CheckDef = {
  id: 'WITNESS-003',
  safety: 'execute',
  needs: ['admin'],
  description: 'A pending high-risk draft whose resource drifted before approval fails closed at approval: 409 agent.precondition_failed, the draft neither confirmed nor executed, the resource as drifted, and a denied audit event.',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-approval' });
    try {
      const r = await createResource(ctx, p);
      const d1 = dataOf(await p.client.actions({ action: highRisk.action, payload: payloadFor(highRisk, r) }))?.draft?.id;
      if (typeof d1 !== 'string') fail(`set-up: ${highRisk.action} did not draft`, 'data.draft.id (see WRITE-001)', 'none');
      const drifted = await drift(ctx, p, r);

      const ap = await ctx.admin.approve(d1, `openport-conform ${ctx.checkId}`);
      expectError(ap, 'agent.precondition_failed', 'approval of a draft whose resource drifted');
      const seen = await agentDraft(p, d1, 'agent poll after the refused approval');
      if (seen.draft.status === 'confirmed' || seen.execution !== null) {
        fail('the stale draft was confirmed or executed', 'status draft or failed, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
      }
      await expectIntact(ctx, p, r, 'the stale draft changed the resource', drifted);
      const denied = await auditFor(ctx, p.appId, (e) => e.draft_id === d1 && e.status === 'denied' && e.code === 'agent.precondition_failed');
      if (denied.length === 0) fail('the witness failure left no denied audit event', `an audit event with draft_id ${d1}, status denied, code agent.precondition_failed`, 'none');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
