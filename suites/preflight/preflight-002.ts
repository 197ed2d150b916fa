import type { CheckDef } from '../../src/kit/check.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, payloadFor, rejectPending } from '../lib-write.js';

export const preflight002: CheckDef = {
  id: 'PREFLIGHT-002',
  safety: 'execute',
  needs: ['admin'],
  description: 'Under an open high-risk window (preflight required by default), a high-risk execute with justification and key but no preflightHash is withheld with agent.preflight_required; the resource survives.',
  expectedCodes: ['agent.preflight_required'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-required', autoExecute: highRiskWindow(ctx) });
    try {
      const r = await createResource(ctx, p);
      const ex = await p.client.actions({
        action: highRisk.action, payload: payloadFor(highRisk, r), execute: true,
        justification: justification(ctx), idempotencyKey: idemKey(ctx),
      });
      expectWithheld(ex, 'agent.preflight_required', 'high-risk execute without preflightHash');
      await expectIntact(ctx, p, r, 'the high-risk write ran without preflight');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
