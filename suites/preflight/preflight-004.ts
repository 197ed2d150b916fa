import type { CheckContext, CheckDef, Persona } from '../../src/kit/check.js';
import { aimsAtResource } from '../../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../../src/kit/target.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import {
  createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, marker, payloadFor, preflight, rejectPending, update, window,
} from '../lib-write.js';

const MISMATCH: ReasonCode = 'agent.preflight_mismatch';
/** A server that finds the preflight by its hash and binds that preflight's witness fails closed on the witness instead. */
const WITNESS_STALE: ReasonCode = 'agent.precondition_failed';

/**
 * How a swapped payload may be refused: preflight_mismatch, or, for a witnessed tool, the State Witness's 409 of a
 * server that takes the preflightHash to name its preflight and binds that preflight's witness (§8: a draft binds
 * the witness hash "from the preflight").
 */
const refusedSwap = (sample: WriteSample): ReasonCode[] => (sample.witnessed ? [MISMATCH, WITNESS_STALE] : [MISMATCH]);

/**
 * Every other high-risk write sample, fully prepared under an open window allowing it, carrying the preflightHash
 * of the same payload on another resource (or with another free text, or on the other container, where it names
 * no resource): withheld. A sample whose payload names none of them cannot be varied, and is noted.
 */
async function swapEveryOtherHighRisk(ctx: CheckContext, p: Persona): Promise<void> {
  const { highRisk } = ctx.target.writes;
  const others = writeSamples(ctx.target).filter((s) => s.risk === 'high' && s.action !== highRisk.action);
  if (!others.length) return;
  await ctx.admin.setAutoExecute(p.appId, { high_risk: window(ctx, [highRisk.action, ...others.map((s) => s.action)]) });
  const [primary, secondary] = [ctx.target.containers.primary, ctx.target.containers.secondary].map((c) => JSON.stringify(c));
  for (const sample of others) {
    const mark = marker(ctx);
    let a: Record<string, unknown>;
    let b: Record<string, unknown>;
    if (aimsAtResource(sample)) [a, b] = [payloadFor(sample, await createResource(ctx, p), mark), payloadFor(sample, await createResource(ctx, p), mark)];
    else if (JSON.stringify(sample.payload).includes('$random')) [a, b] = [payloadFor(sample, '', mark), payloadFor(sample, '', marker(ctx))];
    else if (JSON.stringify(sample.payload).includes(primary!)) {
      // The same write on the other container (an export of another one).
      a = payloadFor(sample, '', mark);
      b = JSON.parse(JSON.stringify(a).split(primary!).join(secondary!)) as Record<string, unknown>;
    } else {
      ctx.note(`${sample.action}: its payload names no resource, free text or container, so no swapped payload was tried`);
      continue;
    }
    const pf = await preflight(p, sample.action, a);
    const ex = await p.client.actions({ action: sample.action, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), payload: b, preflightHash: pf.impactHash });
    expectWithheld(ex, refusedSwap(sample), `${sample.action} execute with the preflightHash of another payload`);
  }
}

export const preflight004: CheckDef = {
  id: 'PREFLIGHT-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    "A high-risk execute on resource R2 carrying the preflightHash of R1 (a payload swapped after preflight) is withheld with agent.preflight_mismatch; " +
    'so is the same payload on R3 after an update changed the impact preflight showed, and every other high-risk write sample carrying the preflightHash of its payload on another resource (or with another free text, or on the other container). ' +
    'Every resource survives.',
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
      expectWithheld(ex, refusedSwap(highRisk), "high-risk execute with another resource's preflightHash");
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
        await swapEveryOtherHighRisk(ctx, p);
        return;
      }
      const stale = await p.client.actions({ ...gates(), payload: payload3, preflightHash: before.impactHash });
      expectWithheld(stale, [MISMATCH, WITNESS_STALE], 'high-risk execute with the preflightHash of an impact that has since changed');
      await expectIntact(ctx, p, r3, 'a write whose impact changed after preflight ran');
      await swapEveryOtherHighRisk(ctx, p);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
