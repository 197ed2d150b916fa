import { Skip, type CheckDef } from '../../src/engine/check.js';
import { describe, expectError, fail } from '../../src/engine/expect.js';
import { listDrafts } from '../../src/engine/helpers.js';
import { createResource, dataOf, drift, expectIntact, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const witness002: CheckDef = {
  id: 'WITNESS-002',
  safety: 'execute',
  needs: ['admin'],
  description: 'A high-risk draft request carrying the stateWitnessHash from before a drift is 409 agent.precondition_failed (state_witness_mismatch), drafts nothing and leaves the resource as drifted; a fresh witness is accepted.',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-stale' });
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const before = await preflight(p, highRisk.action, payload);
      if (typeof before.stateWitnessHash !== 'string') fail('preflight returned no stateWitnessHash', 'data.stateWitnessHash (see WITNESS-001)', 'none');
      const drifted = await drift(ctx, p, r);

      const ex = await p.client.actions({ action: highRisk.action, payload, stateWitnessHash: before.stateWitnessHash });
      const err = expectError(ex, 'agent.precondition_failed', 'request with a stale stateWitnessHash');
      const reason = err.details?.reason;
      if (reason !== undefined && reason !== 'state_witness_mismatch') {
        fail('the stale witness is refused for another reason', 'details.reason "state_witness_mismatch"', `details.reason ${JSON.stringify(reason)}`, ex);
      }
      const drafted = (await listDrafts(ctx, p.appId)).filter((d) => d.action_type === highRisk.action);
      if (drafted.length) fail('the refused request still created a draft', `no ${highRisk.action} draft`, `${drafted.length} draft(s)`, ex);
      await expectIntact(ctx, p, r, 'the refused request changed the resource', drifted);

      // Control: with the current witness the same request drafts, so the 409 above is about staleness.
      const fresh = await preflight(p, highRisk.action, payload);
      const ok = await p.client.actions({ action: highRisk.action, payload, stateWitnessHash: fresh.stateWitnessHash });
      if (dataOf(ok)?.status !== 'draft') fail('the same request is refused even with a fresh witness', 'HTTP 200 data.status "draft"', describe(ok), ok);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
