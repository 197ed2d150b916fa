import { Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { createResource, draftWrite, drift, payloadFor, preflight, readResource, rejectPending } from '../lib-write.js';

export const witness005: CheckDef = {
  id: 'WITNESS-005',
  safety: 'execute',
  needs: ['admin'],
  description: 'After a stale draft fails closed at approval, a fresh preflight, a new draft bound to the fresh witness and its approval execute successfully.',
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-recovery' });
    const note = `openport-conform ${ctx.checkId}`;
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const stale = await draftWrite(p, highRisk.action, payload);
      await drift(ctx, p, r);
      const refused = await ctx.admin.approve(stale, note);
      if (refused.response.status !== 409) throw new Skip(`approval of the stale draft did not fail closed (${describe(refused)}), so there is nothing to recover from`, 'see WITNESS-003');

      const fresh = await preflight(p, highRisk.action, payload);
      const ex = await p.client.actions({ action: highRisk.action, payload, preflightHash: fresh.impactHash, stateWitnessHash: fresh.stateWitnessHash });
      const id = dataOf(ex)?.draft?.id;
      if (dataOf(ex)?.status !== 'draft' || typeof id !== 'string') fail('a fresh request after the witness failure is not accepted', 'HTTP 200 data.status "draft"', describe(ex), ex);
      const ap = await ctx.admin.approve(id, note);
      const execution = expectSuccess<any>(ap, 'approval of the fresh draft')?.execution;
      if (execution?.status !== 'success') fail('the fresh draft did not execute', 'data.execution.status "success"', describe(ap), ap);
      if (await readResource(ctx, p, r)) fail(`the recovered ${highRisk.action} did not take effect`, `resource ${r} gone`, 'still present');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
