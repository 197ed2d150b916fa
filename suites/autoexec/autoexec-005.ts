import { Skip, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, expectSuccess, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { agentDraft, createPayload, expectMarkedCount, idemKey, marker, preflight, rejectPending, requestCreate, window } from '../lib-write.js';

export const autoexec005: CheckDef = {
  id: 'AUTOEXEC-005',
  safety: 'execute',
  needs: ['admin'],
  description: 'Inside an open window that allows the create action, execute:true with forceDraft:true still yields a pending draft and creates nothing, whether the request carries the payload or names the preflightId of a preflight of it (while the same request without forceDraft executes).',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'autoexec-forcedraft', autoExecute: { writes: window(ctx, [action]) } });
    try {
      const mark = marker(ctx);
      const ex = await requestCreate(ctx, p, mark, { execute: true, forceDraft: true, idempotencyKey: idemKey(ctx) });
      await expectForcedDraft(ctx, p, ex, mark, 'execute:true with forceDraft:true');

      // §3: "payload or preflightId required": the same request naming a preflightId of the payload instead.
      const preMark = marker(ctx);
      const { preflightId } = await preflight(p, action, createPayload(ctx, preMark));
      if (typeof preflightId !== 'string') ctx.partial(`the preflight of ${action} returned no preflightId: forceDraft with a preflightId was not judged`);
      else {
        const viaId = await p.client.actions({ action, preflightId, execute: true, forceDraft: true, idempotencyKey: idemKey(ctx) });
        await expectForcedDraft(ctx, p, viaId, preMark, `execute:true with forceDraft:true naming preflightId ${preflightId}`);
      }

      // Control: without forceDraft the window really executes, so the draft above is forceDraft's doing.
      const control = await requestCreate(ctx, p, marker(ctx), { execute: true, idempotencyKey: idemKey(ctx) });
      if (dataOf(control)?.status !== 'executed') {
        throw new Skip(`the open window did not auto-execute even without forceDraft (${describe(control)}), so forceDraft cannot be told apart`, 'see AUTOEXEC-002');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/** `ex`, the answer to a forced execute of the create sample carrying `mark`, is a pending draft, and nothing carries `mark`. */
async function expectForcedDraft(ctx: CheckContext, p: Persona, ex: Exchange, mark: string, what: string): Promise<void> {
  const data = expectSuccess<any>(ex, what);
  if (data?.status !== 'draft' || typeof data?.draft?.id !== 'string') fail(`${what}: forceDraft did not produce a draft`, 'HTTP 200 data.status "draft"', describe(ex), ex);
  const seen = await agentDraft(p, data.draft.id, `agent poll after ${what}`);
  if (seen.draft.status !== 'draft' || seen.execution !== null) {
    fail(`${what}: the forced draft is not pending`, 'status draft, execution null', `status ${seen.draft.status}, execution ${JSON.stringify(seen.execution?.id ?? null)}`);
  }
  await expectMarkedCount(ctx, p, mark, 0, `${what}: a forced draft ran`);
}
