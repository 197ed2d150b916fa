import type { CheckDef } from '../../src/engine/check.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const preflight003: CheckDef = {
  id: 'PREFLIGHT-003',
  safety: 'execute',
  needs: ['admin'],
  description: 'Under an open high-risk window, a high-risk execute with preflightHash and key but no justification does not execute (draft or 400 with agent.action_invalid); the resource survives.',
  expectedCodes: ['agent.action_invalid'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'preflight-justify', autoExecute: highRiskWindow(ctx) });
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const pf = await preflight(p, highRisk.action, payload);
      const ex = await p.client.actions({
        action: highRisk.action, payload, execute: true, idempotencyKey: idemKey(ctx), preflightHash: pf.impactHash,
      });
      expectWithheld(ex, 'agent.action_invalid', 'high-risk execute without justification');
      await expectIntact(ctx, p, r, 'the high-risk write ran without justification');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
