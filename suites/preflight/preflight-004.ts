import type { CheckContext, CheckDef, Persona } from '../../src/kit/check.js';
import { aimsAtResource } from '../../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../../src/kit/target.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import {
  createResource, expectIntact, expectWithheld, highRiskWindow, idemKey, justification, marker, payloadFor, preflight, rejectPending, secondKey, update, window,
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
 * How a stale preflightId (sent without a preflightHash) may be withheld: preflight_mismatch, the State Witness's 409
 * where its witness went stale too, or preflight_required where the server takes no preflightId for the hash.
 */
const refusedStaleId: ReasonCode[] = [MISMATCH, WITNESS_STALE, 'agent.preflight_required'];

/**
 * Prefixes of `hash` (16 and 32 characters, and all but its last), none equal to it: §7 "it equals the recomputed
 * hash". A server may refuse a hash of the wrong length as malformed (common.validation) instead.
 */
function prefixesOf(hash: string): string[] {
  return [...new Set([16, 32, hash.length - 1].filter((n) => n > 0 && n < hash.length).map((n) => hash.slice(0, n)))];
}
const refusedPrefix: ReasonCode[] = [MISMATCH, 'common.validation'];

/**
 * Every other high-risk write sample, fully prepared under an open window allowing it, carrying the preflightHash
 * of the same payload on another resource (or with another free text, or on the other container, where it names
 * no resource): withheld. A sample whose payload names none of them cannot be varied, and is noted.
 */
async function swapEveryOtherHighRisk(ctx: CheckContext, owner: Persona): Promise<void> {
  const { highRisk } = ctx.target.writes;
  const others = writeSamples(ctx.target).filter((s) => s.risk === 'high' && s.action !== highRisk.action);
  if (!others.length) return;
  // A key of its own: a fresh rate-limit window for these requests.
  const p = { ...owner, ...(await secondKey(ctx, owner, 'other high-risk tools key')) };
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
    // A prefix of the right hash is not the hash.
    const prefix = pf.impactHash.slice(0, 16);
    const pre = await p.client.actions({ action: sample.action, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), payload: a, preflightHash: prefix });
    expectWithheld(pre, refusedPrefix, `${sample.action} execute with the first 16 characters of its own preflightHash`);
  }
}

/**
 * §7 "At execute the server recomputes the impact from the submitted payload", also when the payload comes from a
 * preflightId and no preflightHash is sent: every high-risk write sample that names no resource (an export, say),
 * preflighted, then its container changed by a new resource of the create sample; where the impact moved, an execute
 * naming the old preflightId is withheld. A sample whose impact the new resource does not move is noted.
 */
async function staleByPreflightId(ctx: CheckContext, owner: Persona): Promise<void> {
  const samples = writeSamples(ctx.target).filter((s) => s.risk === 'high' && !aimsAtResource(s));
  if (!samples.length) return;
  const p = { ...owner, ...(await secondKey(ctx, owner, 'stale preflightId key')) };
  await ctx.admin.setAutoExecute(p.appId, { high_risk: window(ctx, [ctx.target.writes.highRisk.action, ...samples.map((s) => s.action)]) });
  for (const sample of samples) {
    const payload = payloadFor(sample, '', marker(ctx));
    const before = await preflight(p, sample.action, payload);
    if (typeof before.preflightId !== 'string') {
      ctx.note(`${sample.action}: its preflight gave no preflightId, so a stale one was not tried`);
      continue;
    }
    await createResource(ctx, p);
    if ((await preflight(p, sample.action, payload)).impactHash === before.impactHash) {
      ctx.note(`${sample.action}: a new resource does not change its impact on this target, so a stale preflightId was not tried`);
      continue;
    }
    const ex = await p.client.actions({ action: sample.action, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightId: before.preflightId });
    expectWithheld(ex, refusedStaleId, `${sample.action} execute naming a preflightId whose impact has since changed (no preflightHash)`);
  }
}

export const preflight004: CheckDef = {
  id: 'PREFLIGHT-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    "A high-risk execute on resource R2 carrying the preflightHash of R1 (a payload swapped after preflight) is withheld with agent.preflight_mismatch; " +
    'so is the same payload on R3 after an update changed the impact preflight showed, and every other high-risk write sample carrying the preflightHash of its payload on another resource (or with another free text, or on the other container). ' +
    'A prefix of the right hash (16, 32 characters, all but the last; 16 for the other samples) is withheld likewise (or refused as malformed). ' +
    'An execute naming a preflightId (no preflightHash) whose impact has since changed is withheld too: the same R3, and every high-risk sample naming no resource (an export) after a new resource changed its impact. ' +
    'Every resource survives.',
  expectedCodes: [MISMATCH, WITNESS_STALE, 'agent.preflight_required', 'common.validation'],
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
      // Equal means equal: no prefix of the right hash passes (nor the hash short of its last character).
      for (const prefix of prefixesOf(pf.impactHash)) {
        const ex = await p.client.actions({ ...gates(), payload: payloadFor(highRisk, r1), preflightHash: prefix });
        expectWithheld(ex, refusedPrefix, `high-risk execute with the first ${prefix.length} characters of its preflightHash`);
      }
      await expectIntact(ctx, p, r1, 'a prefix of the preflightHash was taken for it');

      // The hash binds the impact, not only the payload: the server must recompute it at execute time.
      const r3 = await createResource(ctx, p);
      const payload3 = payloadFor(highRisk, r3);
      const before = await preflight(p, highRisk.action, payload3);
      await update(ctx, p, r3);
      const now = await preflight(p, highRisk.action, payload3);
      if (now.impactHash === before.impactHash) {
        ctx.partial(`the update sample does not change ${highRisk.action}'s impact on this target, so a stale impact was not tried`);
        await swapEveryOtherHighRisk(ctx, p);
        await staleByPreflightId(ctx, p);
        return;
      }
      const stale = await p.client.actions({ ...gates(), payload: payload3, preflightHash: before.impactHash });
      expectWithheld(stale, [MISMATCH, WITNESS_STALE], 'high-risk execute with the preflightHash of an impact that has since changed');
      // The same, naming the preflightId instead of sending its hash: the impact is recomputed all the same.
      if (typeof before.preflightId === 'string') {
        const byId = await p.client.actions({ ...gates(), preflightId: before.preflightId });
        expectWithheld(byId, refusedStaleId, 'high-risk execute naming a preflightId whose impact has since changed (no preflightHash)');
      }
      await expectIntact(ctx, p, r3, 'a write whose impact changed after preflight ran');
      await swapEveryOtherHighRisk(ctx, p);
      await staleByPreflightId(ctx, p);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
