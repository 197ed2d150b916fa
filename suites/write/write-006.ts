import type { AuditEvent } from '../../src/protocol/types.js';
import { ToolError, type CheckDef } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { auditUntil, serviceUserOf } from '../../src/kit/helpers.js';
import { createPayload, draftCreate, draftSample, marker, otherWrites, rejectPending, resourceFor } from '../lib-write.js';
import { auditedBesidesExecution, expectSensitiveRedacted, sensitiveDrafts, sensitiveValues, summarize } from '../audit/trail.js';

export const write006: CheckDef = {
  id: 'WRITE-006',
  safety: 'execute',
  needs: ['admin'],
  description: "Draft creation, approval and rejection each leave an audit event with the draft id, and the execution one with both the execution id and the draft id (action names not prescribed), none showing a sensitive field's value the draft carried; a rejection of a draft of every other write sample (the high-risk ones included) leaves one too; the approval's and the rejections' own events are not attributed to the agent (performed_by_user_id is not the workspace app's service user: an admin reviews).",
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-audit' });
    // §7: "an admin approves … or rejects": the review's event names who performed it, never the agent's actor.
    const agentActor = serviceUserOf(p);
    // Judged on the events that name a review (their action), not on every event of the draft after it (another
    // event of the agent's, readable late, is the agent's to perform).
    const byTheAgent = (review: string, after: AuditEvent[]) => {
      const own = after.filter((e) => /approv|reject|review/i.test(String(e.action)));
      if (own.length === 0) return void ctx.note(`no event after the ${review} names it in its action: who performed it was not judged`);
      const misattributed = agentActor === undefined ? [] : own.filter((e) => e.performed_by_user_id === agentActor);
      if (misattributed.length > 0) {
        fail(`the ${review} is recorded as performed by the agent's own actor`, `performed_by_user_id of the ${review}'s event: the admin who reviewed, not the app's service user ${agentActor}`, summarize(misattributed));
      }
    };
    try {
      // The approved create carries a value in each sensitive field of the target it takes (all of them, else the
      // first it takes alone), so that the redaction of its events (§10) is judged on the execution's too.
      const values = sensitiveValues(ctx, ctx.target.sensitiveFields);
      const [drafted] = await sensitiveDrafts(p, ctx.target.writes.create.action, createPayload(ctx, marker(ctx)), values);
      const written = Object.fromEntries((drafted?.fields ?? []).map((f) => [f, values[f]!]));
      if (!drafted) ctx.partial(`${ctx.target.writes.create.action} took none of the sensitive fields ${Object.keys(values).join(', ')}: their redaction in the execution's events was not tried`);
      const id = drafted?.id ?? (await draftCreate(ctx, p, marker(ctx)));
      const ofDraft = (draft: string) => (e: AuditEvent) => e.draft_id === draft;
      const beforeApproval = (await auditUntil(ctx, p.appId, (all) => all.some(ofDraft(id)))).filter(ofDraft(id));
      if (beforeApproval.length === 0) fail('draft creation left no audit event with its draft id', `an audit event with draft_id ${id}`, 'none');

      const execution = expectSuccess<any>(await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`), 'admin approve')?.execution;
      if (typeof execution?.id !== 'string') throw new ToolError(`set-up: approving draft ${id} returned no data.execution.id (see WRITE-002)`);
      const known = new Set(beforeApproval.map((e) => e.id));
      const events = await auditUntil(ctx, p.appId, (all) => {
        const fresh = all.filter((e) => !known.has(e.id));
        return fresh.some(ofDraft(id)) && auditedBesidesExecution(fresh, id, execution.id) && all.some((e) => e.execution_id === execution.id && e.draft_id === id);
      });
      if (!events.some((e) => e.draft_id === id && !known.has(e.id))) {
        fail('approval left no audit event with the draft id', `a new audit event with draft_id ${id} after approval`, `${beforeApproval.length} event(s) with that draft id, all from before the approval`);
      }
      const afterApproval = events.filter((e) => !known.has(e.id));
      if (!auditedBesidesExecution(afterApproval, id, execution.id)) {
        fail("the approval left no audit event of its own, only the execution's", `besides the execution's event, a new one with draft_id ${id} (agent.draft.approve)`, summarize(afterApproval.filter((e) => e.draft_id === id)));
      }
      byTheAgent('approval', afterApproval.filter((e) => e.draft_id === id && e.execution_id !== execution.id));
      if (!events.some((e) => e.execution_id === execution.id && e.draft_id === id)) {
        const loose = events.filter((e) => e.execution_id === execution.id).map((e) => `draft_id ${JSON.stringify(e.draft_id)}`);
        fail('execution left no audit event with both the execution id and the draft id', `an audit event with execution_id ${execution.id} and draft_id ${id}`,
          loose.length ? `events with that execution id: ${loose.join(', ')}` : 'no event with that execution id');
      }

      await expectSensitiveRedacted(ctx, events, written, 'write006', 'the draft, its approval and its execution');

      // The other review decision: a rejection is an allowed operation too (agent.draft.reject).
      const rejected = await draftCreate(ctx, p, marker(ctx));
      // Its creation event first (a sink may make it readable late), so that it is not taken for the rejection's.
      const known2 = new Set((await auditUntil(ctx, p.appId, (all) => all.some(ofDraft(rejected)))).filter(ofDraft(rejected)).map((e) => e.id));
      expectSuccess(await ctx.admin.reject(rejected, `openport-conform ${ctx.checkId}`), 'admin reject');
      const afterRejectOf = (e: AuditEvent) => e.draft_id === rejected && !known2.has(e.id);
      const afterReject = (await auditUntil(ctx, p.appId, (all) => all.some(afterRejectOf))).filter(afterRejectOf);
      if (afterReject.length === 0) fail('rejection left no audit event with the draft id', `a new audit event with draft_id ${rejected} after rejection`, 'none');
      byTheAgent('rejection', afterReject);

      // Every other write tool's rejection too (the high-risk ones included): a draft of each sample, its creation
      // events read first, then all rejected and their trail read once (a server that audits none costs one wait).
      const drafts: { action: string; id: string }[] = [];
      for (const sample of otherWrites(ctx)) drafts.push({ action: sample.action, id: await draftSample(ctx, p, sample, await resourceFor(ctx, p, sample)) });
      const created = await auditUntil(ctx, p.appId, (all) => drafts.every((d) => all.some(ofDraft(d.id))));
      const known3 = new Set(created.filter((e) => drafts.some((d) => e.draft_id === d.id)).map((e) => e.id));
      for (const d of drafts) expectSuccess(await ctx.admin.reject(d.id, `openport-conform ${ctx.checkId}`), `admin reject of the ${d.action} draft`);
      const rejectedOf = (d: { id: string }) => (e: AuditEvent) => e.draft_id === d.id && !known3.has(e.id);
      const afterRejects = await auditUntil(ctx, p.appId, (all) => drafts.every((d) => all.some(rejectedOf(d))));
      const unaudited = drafts.filter((d) => !afterRejects.some(rejectedOf(d)));
      if (unaudited.length > 0) {
        fail(`the rejection of ${unaudited.map((d) => `the ${d.action} draft`).join(', ')} left no audit event with the draft id`, `a new audit event with the draft id after each rejection (${unaudited.map((d) => d.id).join(', ')})`, 'none');
      }
      for (const d of drafts) byTheAgent(`rejection of the ${d.action} draft`, afterRejects.filter(rejectedOf(d)));
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
