import type { CheckDef } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe } from '../../src/kit/expect.js';
import { createResource, expectIntact, expectMarkedCount, highRiskWindow, idemKey, justification, payloadFor, preflight, rejectPending, reuseKeyWithOtherPayload, window } from '../lib-write.js';

export const idem004: CheckDef = {
  id: 'IDEM-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    'An idempotency key already executed with title A and re-sent with title B never creates B (and A stays exactly one); in the high-risk tier alike, a key that ' +
    'executed the high-risk sample on resource A and is re-sent, fully prepared, for resource B never touches B.',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const p = await ctx.persona({ name: 'idem-swap', autoExecute: { writes: window(ctx, [action]) } });
    const hr = ctx.target.writes.highRisk;
    const q = await ctx.persona({ name: 'idem-swap high-risk', autoExecute: highRiskWindow(ctx) });
    try {
      const { markA, markB } = await reuseKeyWithOtherPayload(ctx, p);
      await expectMarkedCount(ctx, p, markB, 0, 'a re-used idempotency key ran a different payload');
      await expectMarkedCount(ctx, p, markA, 1, 'a re-used idempotency key ran the original payload again');

      // §7: "Re-using a key with a different payload must never run the new payload", in either tier.
      const key = idemKey(ctx);
      const execute = async (r: string) => {
        const payload = payloadFor(hr, r);
        const pf = await preflight(q, hr.action, payload);
        return q.client.actions({ action: hr.action, payload, execute: true, justification: justification(ctx), idempotencyKey: key, preflightHash: pf.impactHash });
      };
      const [a, b] = [await createResource(ctx, q), await createResource(ctx, q)];
      const first = await execute(a);
      // A server whose high-risk window executes nothing has no high-risk key to re-use: that part is not judged.
      if (dataOf(first)?.status !== 'executed') return ctx.partial(`the high-risk tier was not tried: a fully prepared ${hr.action} execute under a high_risk window allowing it did not execute (${describe(first)}; see PREFLIGHT-002..004)`);
      await execute(b);
      await expectIntact(ctx, q, b, `a re-used idempotency key ran ${hr.action} on another resource`);
    } finally {
      await rejectPending(ctx, p.appId, q.appId);
    }
  },
};
