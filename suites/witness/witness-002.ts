import { createHash } from 'node:crypto';
import { Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { aimsAtResource, listDrafts } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { dataOf } from '../../src/kit/clients.js';
import { createResource, drift, expectIntact, marker, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const witness002: CheckDef = {
  id: 'WITNESS-002',
  safety: 'execute',
  needs: ['admin'],
  description:
    'A draft request of every witnessed write sample of the target aimed at a resource (the high-risk one, the update, the others) carrying the stateWitnessHash from before a drift is ' +
    '409 agent.precondition_failed (state_witness_mismatch), drafts nothing and leaves the resource as drifted; so does the same stale hash sent beside a fresh preflightId (preflighted after the drift). ' +
    'A fresh witness is accepted.',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-stale' });
    try {
      const r = await createResource(ctx, p);
      // The drift moves `r` only: a witnessed sample aimed elsewhere keeps a fresh witness.
      const samples = writeSamples(ctx.target).filter((s) => s.witnessed && aimsAtResource(s));
      if (samples.length === 0) throw new Skip('no witnessed write sample aims at a resource ("$resourceId"), so no drift can make its witness stale', 'give target.writes.highRisk a payload naming "$resourceId"');
      const witnessed: { action: string; payload: Record<string, unknown>; stale: string }[] = [];
      for (const sample of samples) {
        const payload = payloadFor(sample, r, marker(ctx));
        const before = await preflight(p, sample.action, payload);
        // A server that hands out no witness is still asked to refuse one that matches no state (WITNESS-001 fails it separately).
        let stale = before.stateWitnessHash;
        if (typeof stale !== 'string') {
          stale = createHash('sha256').update(`openport-conform ${ctx.checkId} a state that never was ${r}`).digest('hex');
          ctx.note(`preflight of ${sample.action} returned no stateWitnessHash; sent the hash of no state instead`);
        }
        witnessed.push({ action: sample.action, payload, stale });
      }
      const drifted = await drift(ctx, p, r);
      const drafts = (await listDrafts(ctx, p.appId)).length;

      for (const { action, payload, stale } of witnessed) {
        const ex = await p.client.actions({ action, payload, stateWitnessHash: stale });
        const err = expectError(ex, 'agent.precondition_failed', `${action} request with a stale stateWitnessHash`);
        const reason = err.details?.reason;
        // §5: agent.precondition_failed [409] State Witness mismatch (details.reason = state_witness_mismatch …).
        if (reason !== 'state_witness_mismatch') {
          fail(`the stale witness of ${action} is refused without its reason`, { status: 409, code: 'agent.precondition_failed', text: 'details.reason "state_witness_mismatch"' }, `details.reason ${JSON.stringify(reason)}`, ex, '/details/reason');
        }
        const now = await listDrafts(ctx, p.appId);
        if (now.length !== drafts) fail(`the refused ${action} request still created a draft`, `${drafts} draft(s)`, `${now.length} draft(s)`, ex);
      }
      // The same stale stateWitnessHash next to a fresh preflightId (preflighted after the drift): the request's own
      // witness is judged, whatever the preflight's says.
      for (const { action, payload, stale } of witnessed) {
        const { preflightId } = await preflight(p, action, payload);
        if (typeof preflightId !== 'string') {
          ctx.note(`${action}: its preflight gave no preflightId, so a stale stateWitnessHash beside one was not tried`);
          continue;
        }
        const before = (await listDrafts(ctx, p.appId)).length;
        const ex = await p.client.actions({ action, preflightId, stateWitnessHash: stale });
        expectError(ex, 'agent.precondition_failed', `${action} request naming a fresh preflightId with a stale stateWitnessHash`);
        const now = await listDrafts(ctx, p.appId);
        if (now.length !== before) fail(`the refused ${action} request naming a preflightId still created a draft`, `${before} draft(s)`, `${now.length} draft(s)`, ex);
      }
      await expectIntact(ctx, p, r, 'a refused request changed the resource', drifted);

      // Control: with the current witness the same request drafts, so the 409 above is about staleness.
      const payload = payloadFor(highRisk, r);
      const fresh = await preflight(p, highRisk.action, payload);
      const ok = await p.client.actions({ action: highRisk.action, payload, stateWitnessHash: fresh.stateWitnessHash });
      if (dataOf(ok)?.status !== 'draft') fail('the same request is refused even with a fresh witness', 'HTTP 200 data.status "draft"', describe(ok), ok);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
