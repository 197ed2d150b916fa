import type { CheckDef } from '../../src/kit/check.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import {
  createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, payloadFor, preflight, rejectPending, update,
} from '../lib-write.js';

const MISMATCH: ReasonCode = 'agent.preflight_mismatch';
/** A server that finds the preflight by its hash and binds that preflight's witness fails closed on the witness instead. */
const WITNESS_STALE: ReasonCode = 'agent.precondition_failed';

export const preflight004: CheckDef = {
  id: 'PREFLIGHT-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    "A high-risk execute on resource R2 carrying the preflightHash of R1 (a payload swapped after preflight) is withheld with agent.preflight_mismatch; " +
    'so is the same payload on R3 after an update changed the impact preflight showed. Every resource survives.',
  expectedCodes: [MISMATCH, WITNESS_STALE],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-swap', autoExecute: highRiskWindow(ctx) });
    const gates = () => ({ action: highRisk.action, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx) });
    try {
      const r1 = await createResource(ctx, p);
      const r2 = await createResource(ctx, p);
      const pf = await preflight(p, highRisk.action, payloadFor(highRisk, r1));
      const ex = await p.client.actions({ ...gates(), payload: payloadFor(highRisk, r2), preflightHash: pf.impactHash });
      expectWithheld(ex, MISMATCH, "high-risk execute with another resource's preflightHash");
      await expectIntact(ctx, p, r2, 'the swapped payload ran');
      await expectIntact(ctx, p, r1, 'the preflighted payload ran instead');

      // The hash binds the impact, not only the payload: the server must recompute it at execute time.
      const r3 = await createResource(ctx, p);
      const payload3 = payloadFor(highRisk, r3);
      const before = await preflight(p, highRisk.action, payload3);
      await update(ctx, p, r3);
      const now = await preflight(p, highRisk.action, payload3);
      if (now.impactHash === before.impactHash) {
        ctx.partial(`the update sample does not change ${highRisk.action}'s impact on this target, so a stale impact was not tried`);
        return;
      }
      const stale = await p.client.actions({ ...gates(), payload: payload3, preflightHash: before.impactHash });
      expectWithheld(stale, [MISMATCH, WITNESS_STALE], 'high-risk execute with the preflightHash of an impact that has since changed');
      await expectIntact(ctx, p, r3, 'a write whose impact changed after preflight ran');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
