import type { AuditEvent } from '../../src/protocol/types.js';
import { Skip, ToolError, type CheckDef } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { aimsAtResource, auditUntil } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { agentDraft, createResource, draftSample, draftWrite, drift, expectIntact, idemKey, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const witness003: CheckDef = {
  id: 'WITNESS-003',
  safety: 'execute',
  needs: ['admin'],
  description:
    'A pending high-risk draft (and a pending draft of every other witnessed write sample aimed at a resource) whose resource drifted before approval fails closed at approval, ' +
    'whether the draft bound its witness at creation (none sent, also when asked for with forceDraft or with an idempotencyKey) or from the request (the preflight\'s stateWitnessHash sent with it), and so does a high-risk draft left by an execute:true request refused for want of a window, ' +
    'and a pending high-risk draft whose resource each delete the target describes has removed since (its witness exists:false, or marked deleted): ' +
    '409 agent.precondition_failed, no execution, the resource as drifted, and a denied audit event (the draft\'s status afterwards is WITNESS-006).',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({ name: 'witness-approval' });
    try {
      const r = await createResource(ctx, p);
      // Every witnessed write sample aimed at a resource, the high-risk one first: a server that re-checks the
      // witness of the sampled tools only is not certified.
      const samples = [highRisk, ...writeSamples(ctx.target).filter((s) => s.witnessed && s.action !== highRisk.action && aimsAtResource(s))];
      const drafts: { action: string; id: string; why?: string }[] = [];
      for (const sample of samples) drafts.push({ action: sample.action, id: await draftSample(ctx, p, sample, r) });
      // §8: a draft binds the witness hash from the request, from the preflight, or computed at draft creation.
      // The drafts above sent none (computed at creation); this one sends its preflight's (from the request).
      const pf = await preflight(p, highRisk.action, payloadFor(highRisk, r));
      if (typeof pf.stateWitnessHash === 'string') {
        const id = await draftWrite(p, highRisk.action, payloadFor(highRisk, r), 'set-up', { stateWitnessHash: pf.stateWitnessHash });
        drafts.push({ action: `${highRisk.action} (stateWitnessHash sent)`, id });
      } else ctx.note(`the preflight of ${highRisk.action} returned no stateWitnessHash (WITNESS-001): no draft bound one from its request`);
      // A draft asked for with forceDraft, and a plain one carrying an idempotencyKey, bind the witness like any other.
      for (const [why, extra] of [['forceDraft:true', { forceDraft: true }], ['an idempotencyKey', { idempotencyKey: idemKey(ctx) }]] as const) {
        const made = dataOf(await p.client.actions({ action: highRisk.action, payload: payloadFor(highRisk, r), ...extra }));
        if (made?.status === 'draft' && typeof made?.draft?.id === 'string') drafts.push({ action: `${highRisk.action} (drafted with ${why})`, id: made.draft.id });
        else ctx.partial(`a draft of ${highRisk.action} asked for with ${why} was not made: its approval was not judged`);
      }
      // §8 "by auto-execution or by a human approval": a draft whose execute:true was refused (no window: §7 "Every
      // refusal still creates a draft") is approved later like any other, and re-checked alike.
      const refused = await p.client.actions({ action: highRisk.action, payload: payloadFor(highRisk, r), execute: true });
      const left = dataOf(refused);
      if (left?.status === 'draft' && typeof left?.draft?.id === 'string') drafts.push({ action: `${highRisk.action} (left by a refused execute:true)`, id: left.draft.id });
      else ctx.partial(`execute:true of ${highRisk.action} without a window left no draft (${describe(refused)}): the approval of such a draft was not judged`);
      // §8 "on any difference": the witness of a resource that is gone (exists:false, or marked deleted) differs too. A
      // pending high-risk draft on a resource of its own, whose resource every delete the target describes removes
      // first (through its own reviewed draft).
      const deletes = writeSamples(ctx.target).filter((s) => s.effect?.absent === true && aimsAtResource(s));
      if (deletes.length === 0) ctx.partial('the target describes no delete (no write sample with effect: { absent: true }): no draft whose resource is gone was approved');
      for (const del of deletes) {
        const gone = await createResource(ctx, p);
        const id = await draftSample(ctx, p, highRisk, gone);
        const removal = await draftSample(ctx, p, del, gone);
        const ap = await ctx.admin.approve(removal, `openport-conform ${ctx.checkId} set-up`);
        if (dataOf(ap)?.execution?.status !== 'success') throw new ToolError(`set-up: approving the ${del.action} draft ${removal} did not execute: ${describe(ap)} (see WRITE-008)`);
        drafts.push({ action: `${highRisk.action} (resource removed by ${del.action})`, id, why: 'is gone' });
      }
      const drifted = await drift(ctx, p, r);

      for (const { action, id, why } of drafts) {
        const ap = await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`);
        expectError(ap, 'agent.precondition_failed', `approval of a ${action} draft whose resource ${why ?? 'drifted'}`);
        const seen = await agentDraft(p, id, 'agent poll after the refused approval');
        if (seen.execution !== null) {
          fail(`the stale ${action} draft was executed`, 'execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
        }
      }
      await expectIntact(ctx, p, r, 'a stale draft changed the resource', drifted);
      const witnessDenial = (e: AuditEvent) => e.status === 'denied' && e.code === 'agent.precondition_failed';
      const events = (await auditUntil(ctx, p.appId, (all) => drafts.every((d) => all.some((e) => witnessDenial(e) && e.draft_id === d.id)))).filter(witnessDenial);
      for (const { action, id } of drafts) {
        if (!events.some((e) => e.draft_id === id)) fail(`the witness failure of the ${action} draft left no denied audit event`, `an audit event with draft_id ${id}, status denied, code agent.precondition_failed`, 'none');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
