import type { CheckDef } from '../../src/engine/check.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const preflight004: CheckDef = {
  id: 'PREFLIGHT-004',
  safety: 'execute',
  needs: ['admin'],
  description: "A high-risk execute on resource R2 carrying the preflightHash of R1 (a payload swapped after preflight) is withheld with agent.preflight_mismatch; both resources survive.",
  expectedCodes: ['agent.preflight_mismatch'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-swap', autoExecute: highRiskWindow(ctx) });
    try {
      const r1 = await createResource(ctx, p);
      const r2 = await createResource(ctx, p);
      const pf = await preflight(p, highRisk.action, payloadFor(highRisk, r1));
      const ex = await p.client.actions({
        action: highRisk.action, payload: payloadFor(highRisk, r2), execute: true,
        justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash,
      });
      expectWithheld(ex, 'agent.preflight_mismatch', "high-risk execute with another resource's preflightHash");
      await expectIntact(ctx, p, r2, 'the swapped payload ran');
      await expectIntact(ctx, p, r1, 'the preflighted payload ran instead');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
