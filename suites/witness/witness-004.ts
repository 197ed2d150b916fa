import { Skip, type CheckDef } from '../../src/engine/check.js';
import { describe, fail, codeOf } from '../../src/engine/expect.js';
import { agentDraft, createResource, dataOf, drift, expectIntact, idemKey, justification, payloadFor, preflight, rejectPending, window } from '../lib-write.js';

export const witness004: CheckDef = {
  id: 'WITNESS-004',
  safety: 'execute',
  needs: ['admin'],
  description: 'Under an open high-risk window, a fully prepared high-risk auto-execute whose witness went stale after preflight is 409 agent.precondition_failed or a draft, never an execution; the resource survives (and a fresh witness does execute).',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk, drift: driftSample } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({
      name: 'witness-autoexec',
      autoExecute: { high_risk: window(ctx, [highRisk.action]), writes: window(ctx, [driftSample.action]) },
    });
    const execute = (id: string, pf: { impactHash: string; stateWitnessHash?: string }) => p.client.actions({
      action: highRisk.action, payload: payloadFor(highRisk, id), execute: true, justification: justification(ctx),
      idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash, stateWitnessHash: pf.stateWitnessHash,
    });
    try {
      const r = await createResource(ctx, p);
      const pf = await preflight(p, highRisk.action, payloadFor(highRisk, r.id));
      const drifted = await drift(ctx, p, r.id);

      const ex = await execute(r.id, pf);
      const d = dataOf(ex);
      if (d?.status === 'executed' || d?.execution) fail('auto-execution ran on a stale witness', '409 agent.precondition_failed or a draft', describe(ex), ex);
      if (d?.status === 'draft' && typeof d.draft?.id === 'string') {
        const seen = await agentDraft(p, d.draft.id, 'agent poll');
        if (seen.execution !== null) fail('the withheld draft has an execution', 'execution null', JSON.stringify(seen.execution?.id));
      } else if (codeOf(ex) !== 'agent.precondition_failed' || ex.response.status !== 409) {
        fail('the stale witness was refused in an unexpected way', '409 agent.precondition_failed or HTTP 200 with a draft', describe(ex), ex);
      }
      await expectIntact(ctx, p, r.id, 'the stale auto-execution changed the resource', drifted);

      // Control: on an undrifted resource the same request executes, so the refusal above is the witness's doing.
      const r2 = await createResource(ctx, p);
      const control = await execute(r2.id, await preflight(p, highRisk.action, payloadFor(highRisk, r2.id)));
      if (dataOf(control)?.status !== 'executed') {
        throw new Skip(`the high-risk window did not auto-execute even with a fresh witness (${describe(control)}), so the refusal cannot be attributed`, 'see PREFLIGHT-002..004, IDEM-001');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
