import type { CheckDef } from '../../src/kit/check.js';
import { createResource, expectIntact, expectWithheld, highRiskWindow, justification, payloadFor, preflight, rejectPending } from '../lib-write.js';

export const idem001: CheckDef = {
  id: 'IDEM-001',
  safety: 'execute',
  needs: ['admin'],
  description: 'Under an open high-risk window (idempotency required by default), a high-risk execute with preflightHash and justification but no idempotencyKey is withheld with agent.idempotency_required; the resource survives.',
  expectedCodes: ['agent.idempotency_required'],
  async run(ctx) {
    const { highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'idem-required', autoExecute: highRiskWindow(ctx) });
    try {
      const r = await createResource(ctx, p);
      const payload = payloadFor(highRisk, r);
      const pf = await preflight(p, highRisk.action, payload);
      const ex = await p.client.actions({
        action: highRisk.action, payload, execute: true, justification: justification(ctx), preflightHash: pf.impactHash,
      });
      expectWithheld(ex, 'agent.idempotency_required', 'high-risk execute without idempotencyKey');
      await expectIntact(ctx, p, r, 'the high-risk write ran without an idempotency key');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
