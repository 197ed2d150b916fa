import type { CheckContext, CheckDef, Persona } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { aimsAtResource, auditUntil, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../../src/kit/target.js';
import { agentDraft, createdId, executePrepared, expectMarkedCount, idemKey, marker, payloadFor, rejectPending, requestCreate, resourceFor, window } from '../lib-write.js';
import { auditedBesidesExecution, summarize } from '../audit/trail.js';

export const autoexec002: CheckDef = {
  id: 'AUTOEXEC-002',
  safety: 'execute',
  needs: ['admin'],
  description: 'With a writes window open for an hour that allows the create action, execute:true executes it at once: data.status executed, its draft {id, status confirmed}, a successful execution, exactly one resource, the draft polls confirmed, and the request is audited besides its execution; so is each high-risk write sample auto-executed under an open high_risk window (every gate satisfied).',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-on', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: idemKey(ctx) });
      const data = expectSuccess<any>(ex, 'execute:true inside an open window');
      if (data?.status !== 'executed' || data?.execution?.status !== 'success') {
        fail('an allowed auto-execution did not execute', 'data.status "executed" with execution.status "success"', describe(ex), ex);
      }
      // §10: the auto-execute request (agent.action.auto_execute.requested) is audited besides the execution;
      // read before the draft is polled below, whose own event carries the draft id too.
      if (typeof data.draft?.id === 'string' && typeof data.execution?.id === 'string') {
        const events = await auditUntil(ctx, p.appId, (all) => auditedBesidesExecution(all, data.draft.id, data.execution.id));
        if (!auditedBesidesExecution(events, data.draft.id, data.execution.id)) {
          fail("the auto-execute request left no audit event of its own, only the execution's", `besides the execution's event, one with draft_id ${data.draft.id} (agent.action.auto_execute.requested)`, summarize(events.filter((e) => e.draft_id === data.draft.id)), ex);
        }
      }
      const [item] = await expectMarkedCount(ctx, p, mark, 1, 'auto-execution must run exactly once');
      const created = createdId(ctx, data.execution);
      if (created !== undefined && item[ctx.target.readBack.idField] !== created) {
        fail('the resource read back is not the one the execution reports', `id ${created}`, `id ${String(item[ctx.target.readBack.idField])}`, ex);
      }
      // §4: Execution: data = {status:"executed", draft:{id,status}, execution}.
      if (typeof data.draft?.id !== 'string' || data.draft?.status !== 'confirmed') {
        fail('the execution reply does not show its draft confirmed', 'data.draft {id, status:"confirmed"}', `data.draft ${JSON.stringify(data.draft)?.slice(0, 160)}`, ex, '/data/draft');
      }
      const seen = await agentDraft(p, data.draft.id, 'agent poll');
      if (seen.draft.status !== 'confirmed') fail('the auto-executed draft is not confirmed', 'draft.status "confirmed"', `draft.status ${JSON.stringify(seen.draft.status)}`);

      // §7: "and the request asks for it (execute: true": the same open window, a request that does not ask, drafts.
      const quiet = marker(ctx);
      const asked = await requestCreate(ctx, p, quiet, { idempotencyKey: idemKey(ctx) });
      const d = expectSuccess<any>(asked, 'a write without execute:true inside an open window');
      if (d?.status !== 'draft' || typeof d?.draft?.id !== 'string') fail('a write that did not ask for execution auto-executed', 'data.status "draft"', describe(asked), asked, '/data/status');
      const pending = await agentDraft(p, d.draft.id, 'agent poll of the write that did not ask');
      if (pending.draft.status !== 'draft' || pending.execution !== null) fail('a write that did not ask for execution ran', 'status draft, execution null', `status ${pending.draft.status}, execution ${JSON.stringify(pending.execution?.id ?? null)}`);
      await expectMarkedCount(ctx, p, quiet, 0, 'a write without execute:true must not run');

      for (const sample of writeSamples(ctx.target).filter((s) => s.risk === 'high')) await highRiskRequestAudited(ctx, p, sample);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/**
 * §10's auto-execute request in the high-risk tier: `sample` auto-executed under an open high_risk window with
 * every gate satisfied (preflightHash, key, justification), on a resource of its own where it aims at one; its
 * request is audited besides its execution. Not executed (the window is AUTOEXEC-008's subject): a partial pass.
 */
async function highRiskRequestAudited(ctx: CheckContext, p: Persona, sample: WriteSample): Promise<void> {
  await ctx.admin.setAutoExecute(p.appId, { high_risk: window(ctx, [sample.action]) });
  const payload = aimsAtResource(sample) ? payloadFor(sample, await resourceFor(ctx, p, sample), marker(ctx)) : samplePayloadOf(ctx.target, sample.payload);
  const { ex } = await executePrepared(ctx, p, sample.action, payload);
  const d = dataOf(ex);
  if (d?.status !== 'executed' || typeof d?.draft?.id !== 'string' || typeof d?.execution?.id !== 'string') {
    ctx.partial(`high-risk ${sample.action} was not auto-executed under an open high_risk window (${describe(ex)}): its request's audit event was not judged`);
    return;
  }
  const events = await auditUntil(ctx, p.appId, (all) => auditedBesidesExecution(all, d.draft.id, d.execution.id));
  if (!auditedBesidesExecution(events, d.draft.id, d.execution.id)) {
    fail(`the high-risk auto-execute request of ${sample.action} left no audit event of its own, only the execution's`, `besides the execution's event, one with draft_id ${d.draft.id} (agent.action.auto_execute.requested)`, summarize(events.filter((e) => e.draft_id === d.draft.id)), ex);
  }
}
