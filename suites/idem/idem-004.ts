import type { CheckContext, CheckDef, Persona } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, fail } from '../../src/kit/expect.js';
import { readBack } from '../../src/kit/helpers.js';
import { createResource, expectIntact, expectMarkedCount, highRiskWindow, idemKey, justification, payloadFor, preflight, rejectPending, reuseKeyWithOtherPayload, window } from '../lib-write.js';

export const idem004: CheckDef = {
  id: 'IDEM-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    'An idempotency key already executed with title A and re-sent with title B never creates B (and A stays exactly one), nor, re-sent with the update sample (the key is scoped per app, not per tool), changes the resource it names; ' +
    'in the high-risk tier alike, a key that executed the high-risk sample on resource A and is re-sent, fully prepared, for resource B never touches B.',
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const update = ctx.target.writes.update;
    const p = await ctx.persona({ name: 'idem-swap', autoExecute: { writes: window(ctx, [action, update.action]) } });
    const hr = ctx.target.writes.highRisk;
    const q = await ctx.persona({ name: 'idem-swap high-risk', autoExecute: highRiskWindow(ctx) });
    try {
      const { markA, markB, key: used } = await reuseKeyWithOtherPayload(ctx, p);
      await expectMarkedCount(ctx, p, markB, 0, 'a re-used idempotency key ran a different payload');
      await expectMarkedCount(ctx, p, markA, 1, 'a re-used idempotency key ran the original payload again');
      await reuseForAnotherAction(ctx, p, used);

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

/**
 * §7: "`idempotencyKey` … is scoped per app" — not per tool. The key `used` (executed by the create sample) re-sent
 * with the update sample under an open window must not run it: the resource it names reads back as before. A
 * control update with a fresh key shows first that the update's effect can be seen at all; where it cannot, or
 * where the window does not execute the update, this part is a partial pass.
 */
async function reuseForAnotherAction(ctx: CheckContext, p: Persona, used: string): Promise<void> {
  const update = ctx.target.writes.update;
  const [control, target] = [await createResource(ctx, p), await createResource(ctx, p)];
  const seen = async (id: string) => JSON.stringify((await readBack(ctx, p.client, id)) ?? null);
  const controlBefore = await seen(control);
  const ran = await p.client.actions({ action: update.action, payload: payloadFor(update, control), execute: true, idempotencyKey: idemKey(ctx) });
  if (dataOf(ran)?.status !== 'executed' || (await seen(control)) === controlBefore) {
    return ctx.partial(`a key re-used across tools was not tried: ${update.action} with a fresh key under a window allowing it ${dataOf(ran)?.status === 'executed' ? 'left no change the read-back shows' : `did not execute (${describe(ran)})`}`);
  }
  const before = await seen(target);
  const reused = await p.client.actions({ action: update.action, payload: payloadFor(update, target), execute: true, idempotencyKey: used });
  const after = await seen(target);
  if (after !== before) {
    fail(`the idempotency key already executed by ${ctx.target.writes.create.action} ran ${update.action} on resource ${target}`, `resource ${target} unchanged (§7: the key is scoped per app; re-used with a different payload it never runs it)`, `${describe(reused)}; read-back ${after.slice(0, 200)}`, reused);
  }
}
