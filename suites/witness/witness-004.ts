import { Skip, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { codeOf, describe, fail } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { eventsDuring, summarize } from '../audit/trail.js';
import { agentDraft, createResource, drift, expectIntact, idemKey, justification, payloadFor, preflight, rejectPending, window } from '../lib-write.js';

export const witness004: CheckDef = {
  id: 'WITNESS-004',
  safety: 'execute',
  needs: ['admin'],
  description: 'Under an open high-risk window, a fully prepared high-risk auto-execute whose witness went stale after preflight (sent as stateWitnessHash, or bound through the preflightId) is 409 agent.precondition_failed or a draft, never an execution, and leaves a denied audit event with that code; the resource survives (and a fresh witness does execute).',
  expectedCodes: ['agent.precondition_failed'],
  async run(ctx) {
    const { highRisk, drift: driftSample } = ctx.target.writes;
    if (!highRisk.witnessed) throw new Skip(`${highRisk.action} is not witnessed on this target`, 'set target.writes.highRisk.witnessed');
    const p = await ctx.persona({
      name: 'witness-autoexec',
      autoExecute: { high_risk: window(ctx, [highRisk.action]), writes: window(ctx, [driftSample.action]) },
    });
    const gates = () => ({ action: highRisk.action, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx) });
    // §8: a stale witness at auto-execution fails closed with "a denied audit event" (§10: deny paths are audited, with the reason code).
    const expectNotRun = async (send: () => Promise<Exchange>, how: string, strict: boolean) => {
      const { ex, events } = await eventsDuring(ctx, p.appId, send, (fresh) => fresh.some((e) => e.status === 'denied' && e.code === 'agent.precondition_failed'));
      const d = dataOf(ex);
      const withheld = d?.status === 'draft' || (codeOf(ex) === 'agent.precondition_failed' && ex.response.status === 409);
      if (withheld && !events.some((e) => e.status === 'denied' && e.code === 'agent.precondition_failed')) {
        fail(`the stale auto-execution left no denied audit event (${how})`, 'an audit event with status denied, code agent.precondition_failed', summarize(events), ex);
      }
      if (d?.status === 'executed' || d?.execution) fail(`auto-execution ran on a stale witness (${how})`, '409 agent.precondition_failed or a draft', describe(ex), ex);
      if (d?.status === 'draft' && typeof d.draft?.id === 'string') {
        const seen = await agentDraft(p, d.draft.id, 'agent poll');
        if (seen.execution !== null) fail(`the withheld draft has an execution (${how})`, 'execution null', JSON.stringify(seen.execution?.id));
      } else if (codeOf(ex) !== 'agent.precondition_failed' || ex.response.status !== 409) {
        if (strict) fail(`the stale witness was refused in an unexpected way (${how})`, '409 agent.precondition_failed or HTTP 200 with a draft', describe(ex), ex);
        ctx.note(`${how}: refused with ${describe(ex)}`);
      }
    };
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const pf = await preflight(p, highRisk.action, payload);
      const drifted = await drift(ctx, p, r);

      await expectNotRun(() => p.client.actions({ ...gates(), payload, preflightHash: pf.impactHash, stateWitnessHash: pf.stateWitnessHash }), 'stateWitnessHash sent', true);
      // Bound through the preflightId, the stale witness is never on the request, so only the execution-time
      // recomputation can catch it. Servers may decline this form of request; they must not execute it.
      if (typeof pf.preflightId === 'string') {
        await expectNotRun(() => p.client.actions({ ...gates(), preflightId: pf.preflightId, preflightHash: pf.impactHash }), 'witness bound by preflightId', false);
      }
      await expectIntact(ctx, p, r, 'the stale auto-execution changed the resource', drifted);

      // Control: on an undrifted resource the same request executes, so the refusal above is the witness's doing.
      const r2 = await createResource(ctx, p);
      const payload2 = payloadFor(highRisk, r2);
      const pf2 = await preflight(p, highRisk.action, payload2);
      const control = await p.client.actions({ ...gates(), payload: payload2, preflightHash: pf2.impactHash, stateWitnessHash: pf2.stateWitnessHash });
      if (dataOf(control)?.status !== 'executed') {
        throw new Skip(`the high-risk window did not auto-execute even with a fresh witness (${describe(control)}), so the refusal cannot be attributed`, 'see PREFLIGHT-002..004, IDEM-001');
      }
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
