import { ToolError, type CheckContext, type CheckDef, type Persona } from '../../src/kit/check.js';
import { codeOf, describe, expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { agentDraft, createResource, draftCreate, draftSample, draftWrite, drift, expectIntact, expectMarkedCount, idemKey, marker, neverIssuedId, otherWrites, payloadFor, rejectPending, requestCreate, resourceFor, secondKey, window } from '../lib-write.js';
import { NEVER_ISSUED } from '../env/routes.js';

export const write004: CheckDef = {
  id: 'WRITE-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Rejecting or approving a canceled draft, approving or rejecting a confirmed one (of the create and of every other write sample, whose rejected draft is canceled without execution; and a create draft confirmed by auto-execution under an open writes window), and (where the high-risk tool is witnessed and a stale approval leaves the draft failed) ' +
    'approving or rejecting a failed one, is 400 agent.draft_already_final and changes neither the draft nor the domain; of two reviews of one pending draft sent at once (two approvals, an approval and a rejection) exactly one goes through; ' +
    'the admin plane answers GET, approve and reject of an unknown draft id with 404 agent.draft_not_found (or, an id it could never have issued, 400 common.validation).',
  expectedCodes: ['agent.draft_already_final', 'agent.draft_not_found', 'common.validation'],
  async run(ctx) {
    const p = await ctx.persona({ name: 'write-final' });
    const note = `openport-conform ${ctx.checkId}`;
    try {
      // A canceled draft: neither a second rejection nor a late approval may touch it.
      const markA = marker(ctx);
      const a = await draftCreate(ctx, p, markA);
      expectSuccess(await ctx.admin.reject(a, note), 'admin reject');
      expectError(await ctx.admin.reject(a, note), 'agent.draft_already_final', 'second reject of a canceled draft');
      expectError(await ctx.admin.approve(a, note), 'agent.draft_already_final', 'approve of a canceled draft');
      const seenA = await agentDraft(p, a, 'canceled draft after the refused approval');
      if (seenA.draft.status !== 'canceled' || seenA.execution !== null) {
        fail('a refused approval changed the canceled draft', 'status canceled, execution null', `status ${seenA.draft.status}, execution ${JSON.stringify(seenA.execution?.id ?? null)}`);
      }
      await expectMarkedCount(ctx, p, markA, 0, 'approve after reject');

      // A confirmed draft: a second approval must not run it again, a late rejection must not cancel it.
      const markB = marker(ctx);
      const b = await draftCreate(ctx, p, markB);
      const first = expectSuccess<any>(await ctx.admin.approve(b, note), 'admin approve')?.execution;
      if (typeof first?.id !== 'string') throw new ToolError(`set-up: approving draft ${b} returned no data.execution.id (see WRITE-002)`);
      expectError(await ctx.admin.approve(b, note), 'agent.draft_already_final', 'second approve of a confirmed draft');
      expectError(await ctx.admin.reject(b, note), 'agent.draft_already_final', 'reject of a confirmed draft');
      const seenB = await agentDraft(p, b, 'confirmed draft after the refused calls');
      if (seenB.draft.status !== 'confirmed' || seenB.execution?.id !== first.id) {
        fail('a refused approve/reject changed the confirmed draft', `status confirmed, execution ${first.id}`, `status ${seenB.draft.status}, execution ${JSON.stringify(seenB.execution?.id ?? null)}`);
      }
      await expectMarkedCount(ctx, p, markB, 1, 'second approval');

      // Every other write tool's drafts are final alike: one rejected, one approved (on a resource of its own).
      for (const sample of otherWrites(ctx)) {
        // A key of its own per tool, revoked once the tool is judged: the draft polls add up past one key's share of
        // the rate limit, and a server may cap the keys an app holds.
        const { keyId, ...own } = await secondKey(ctx, p, `${sample.action} key`);
        const q = { ...p, ...own };
        const r = await resourceFor(ctx, q, sample);
        const canceled = await draftSample(ctx, q, sample, r);
        expectSuccess(await ctx.admin.reject(canceled, note), `admin reject of a ${sample.action} draft`);
        const rejected = await agentDraft(q, canceled, `the rejected ${sample.action} draft`);
        if (rejected.draft.status !== 'canceled' || rejected.execution !== null) {
          fail(`the rejected ${sample.action} draft is not canceled without execution`, 'status canceled, execution null', `status ${rejected.draft.status}, execution ${JSON.stringify(rejected.execution)?.slice(0, 120)}`);
        }
        expectError(await ctx.admin.reject(canceled, note), 'agent.draft_already_final', `second reject of a canceled ${sample.action} draft`);
        expectError(await ctx.admin.approve(canceled, note), 'agent.draft_already_final', `approve of a canceled ${sample.action} draft`);
        const confirmed = await draftSample(ctx, q, sample, r);
        if (typeof expectSuccess<any>(await ctx.admin.approve(confirmed, note), `admin approve of a ${sample.action} draft`)?.execution?.id !== 'string') {
          throw new ToolError(`set-up: approving a ${sample.action} draft returned no data.execution.id (see WRITE-008)`);
        }
        expectError(await ctx.admin.approve(confirmed, note), 'agent.draft_already_final', `second approve of a confirmed ${sample.action} draft`);
        expectError(await ctx.admin.reject(confirmed, note), 'agent.draft_already_final', `reject of a confirmed ${sample.action} draft`);
        await ctx.admin.revokeKey(keyId);
      }

      await concurrentReviews(ctx, p, note);
      // §5: "agent.draft_not_found [404] (missing or another app's)" — on the admin plane too. A draft id shaped like
      // the server's own; one whose form the server can tell it never issued may be a validation failure (NEVER_ISSUED).
      const missing = neverIssuedId(a);
      for (const [what, send] of [
        ['GET', () => ctx.admin.draft(missing)],
        ['approve', () => ctx.admin.approve(missing, note)],
        ['reject', () => ctx.admin.reject(missing, note)],
      ] as const) expectError(await send(), NEVER_ISSUED, `admin ${what} of a draft id that does not exist (${missing})`);

      await failedDraftIsFinal(ctx, p, note);
      await autoExecutedIsFinal(ctx, p, note);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/**
 * Two reviews of one pending draft sent at once: exactly one goes through, the other is 400 draft_already_final
 * (§7), and the draft ends as the one that went through left it — two approvals run it once; an approval and a
 * rejection leave it confirmed with its execution or canceled without one, never canceled yet executed.
 */
async function concurrentReviews(ctx: CheckContext, p: Persona, note: string): Promise<void> {
  for (const decisions of [['approve', 'approve'], ['approve', 'reject']] as const) {
    const mark = marker(ctx);
    const id = await draftCreate(ctx, p, mark);
    const answers = await Promise.all(decisions.map((d) => (d === 'approve' ? ctx.admin.approve(id, note) : ctx.admin.reject(id, note))));
    const what = `${decisions.join(' and ')} of one pending draft sent at once`;
    const passed = decisions.filter((_, i) => answers[i]!.response.status < 300);
    if (passed.length !== 1) fail(`${what}: ${passed.length} went through`, 'one goes through, the other is 400 agent.draft_already_final (§7)', answers.map((a, i) => `${decisions[i]}: ${describe(a)}`).join('; '), answers[1]);
    const refused = answers.findIndex((a) => a.response.status >= 300);
    expectError(answers[refused]!, 'agent.draft_already_final', `${what}: the ${decisions[refused]} that came second`);
    const approved = passed[0] === 'approve';
    const seen = await agentDraft(p, id, `the draft after ${what}`);
    if (seen.draft.status !== (approved ? 'confirmed' : 'canceled') || (seen.execution === null) === approved) {
      fail(`${what}: the draft does not show the ${passed[0]} that went through`, approved ? 'status confirmed with its execution' : 'status canceled, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
    }
    await expectMarkedCount(ctx, p, mark, approved ? 1 : 0, what);
  }
}

/**
 * A failed draft: the brief's third final status ("failed (execution error)", §2). The one failure a check
 * can bring about through the target description is a stale State Witness at approval; a server that leaves
 * such a draft `draft` (WITNESS-006 accepts it) or has no witness gives no failed draft, and is noted.
 */
async function failedDraftIsFinal(ctx: CheckContext, p: Persona, note: string): Promise<void> {
  const { highRisk } = ctx.target.writes;
  if (!highRisk.witnessed) return ctx.note(`no failed draft tried: ${highRisk.action} is not witnessed on this target`);
  const r = await createResource(ctx, p);
  const id = await draftWrite(p, highRisk.action, payloadFor(highRisk, r));
  await drift(ctx, p, r);
  const first = await ctx.admin.approve(id, note);
  const before = await agentDraft(p, id, 'draft after the stale approval');
  if (codeOf(first) !== 'agent.precondition_failed' || before.draft.status !== 'failed') {
    return ctx.note(`no failed draft tried: the stale approval answered ${describe(first)} and left the draft ${String(before.draft.status)}`);
  }
  expectError(await ctx.admin.approve(id, note), 'agent.draft_already_final', 'approve of a failed draft');
  expectError(await ctx.admin.reject(id, note), 'agent.draft_already_final', 'reject of a failed draft');
  const seen = await agentDraft(p, id, 'failed draft after the refused calls');
  const was = before.execution?.id ?? null;
  if (seen.draft.status !== 'failed' || (seen.execution?.id ?? null) !== was) {
    fail('a refused approve/reject changed the failed draft', `status failed, execution ${JSON.stringify(was)}`, `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
  }
  await expectIntact(ctx, p, r, 'approve of a failed draft');
}

/**
 * A draft confirmed by auto-execution rather than by approval: "Approve/reject of a draft that is no longer draft"
 * (§7) holds whichever way it left `draft`. Its own key (WRITE-004's polls add up), and a writes window opened for
 * the create last, so no draft above auto-executes. A server that does not auto-execute here gives no such draft
 * (AUTOEXEC-002's subject), and is noted as a partial pass.
 */
async function autoExecutedIsFinal(ctx: CheckContext, p: Persona, note: string): Promise<void> {
  const { keyId, ...own } = await secondKey(ctx, p, 'auto-execute key');
  const q = { ...p, ...own };
  await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [ctx.target.writes.create.action]) });
  const mark = marker(ctx);
  const ex = await requestCreate(ctx, q, mark, { execute: true, idempotencyKey: idemKey(ctx) });
  const d = dataOf(ex);
  if (d?.status !== 'executed' || typeof d?.draft?.id !== 'string' || typeof d?.execution?.id !== 'string') {
    ctx.partial(`execute:true under an open writes window did not auto-execute (${describe(ex)}): an auto-executed draft's finality was not judged`);
    return;
  }
  const id: string = d.draft.id;
  expectError(await ctx.admin.reject(id, note), 'agent.draft_already_final', `reject of auto-executed draft ${id}`);
  expectError(await ctx.admin.approve(id, note), 'agent.draft_already_final', `approve of auto-executed draft ${id}`);
  const seen = await agentDraft(q, id, 'auto-executed draft after the refused calls');
  if (seen.draft.status !== 'confirmed' || seen.execution?.id !== d.execution.id) {
    fail('a refused approve/reject changed the auto-executed draft', `status confirmed, execution ${d.execution.id}`, `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
  }
  await expectMarkedCount(ctx, q, mark, 1, 'approve of an auto-executed draft');
  await ctx.admin.revokeKey(keyId);
}
