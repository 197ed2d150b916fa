import type { CheckContext, Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, fail } from '../../src/kit/expect.js';
import { listDrafts, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { draftFromPreflight, preflightedCreate, rejectPending, secondKey } from '../lib-write.js';

/** One presentation of a preflightId by someone it is not bound to, and the drafts it added to the presenter's app. */
export interface ForeignPresentation {
  /** Who presented it, as a finding names them ("another app", "another key of the same app"). */
  readonly who: string;
  readonly ex: Exchange;
  readonly appId: string;
  readonly draftsBefore: number;
  readonly draftsAfter: number;
}

/**
 * The scenario of PREFLIGHT-005 and PREFLIGHT-007 (§7: a preflightId "is bound to app + key + actor"): app A's
 * key preflights the create sample and every other write sample; another app of the tenant, acting as another
 * user, and a second key of A each present each preflightId, as a draft and with execute:true, and `judge` sees each presentation. As controls,
 * A's key then drafts from each preflightId, so the refusals are about who presents it: for the create a
 * refusal of the control is a finding, for the others a partial pass. An app's actor is fixed by the app, so
 * the actor is judged with it.
 */
export async function presentElsewhere(ctx: CheckContext, judge: (p: ForeignPresentation) => void): Promise<void> {
  const { action } = ctx.target.writes.create;
  const a = await ctx.persona({ name: 'preflight-owner' });
  const b = await ctx.persona({ name: 'preflight-thief' });
  try {
    const { mark, payload, preflightId } = await preflightedCreate(ctx, a);
    const present = async (who: string, appId: string, send: () => Promise<Exchange>) => {
      const draftsBefore = (await listDrafts(ctx, appId)).length;
      const ex = await send();
      judge({ who, ex, appId, draftsBefore, draftsAfter: (await listDrafts(ctx, appId)).length });
    };

    const { client: sameApp } = await secondKey(ctx, a);
    // Each presentation as a draft and as an execute:true (a request a server may route through another path).
    const presentBoth = async (what: string, act: string, id: string) => {
      for (const extra of [{}, { execute: true }]) {
        const how = 'execute' in extra ? ', with execute:true' : '';
        await present(`another app${what}${how}`, b.appId, () => b.client.actions({ action: act, preflightId: id, ...extra }));
        await present(`another key of the same app${what}${how}`, a.appId, () => sameApp.actions({ action: act, preflightId: id, ...extra }));
      }
    };
    await presentBoth('', action, preflightId);
    // The binding holds for every write tool's preflight, not the create's alone.
    for (const sample of writeSamples(ctx.target).filter((s) => s.action !== action)) {
      const id = dataOf(await a.client.preflight(sample.action, samplePayloadOf(ctx.target, sample.payload)))?.preflightId;
      if (typeof id !== 'string') {
        ctx.note(`${sample.action}: its preflight by app A gave no preflightId to present`);
        continue;
      }
      await presentBoth(` (a preflightId of ${sample.action})`, sample.action, id);
      // Its control: the key that preflighted drafts from it (§3: "payload or preflightId required").
      const mine = await a.client.actions({ action: sample.action, preflightId: id });
      if (dataOf(mine)?.status !== 'draft') ctx.partial(`the key that preflighted ${sample.action} could not draft from its preflightId (${describe(mine)}): the refusals of the others are not shown to be about who presents it`);
    }

    const own = await draftFromPreflight(ctx, a, action, payload, preflightId);
    const d = dataOf(own);
    if (d?.status !== 'draft' || !JSON.stringify(d.draft?.payload ?? null).includes(mark)) {
      fail("the preflight's own key cannot draft from its preflightId", 'HTTP 200 data.status "draft" with the preflighted payload', describe(own), own);
    }
  } finally {
    await rejectPending(ctx, a.appId, b.appId);
  }
}

/** A presentation that produced a draft is a broken binding, whatever the server answered. */
export function expectNoDraft(p: ForeignPresentation): void {
  if (p.draftsAfter !== p.draftsBefore) {
    fail(`a preflightId presented by ${p.who} produced a draft`, `${p.draftsBefore} draft(s) of app ${p.appId}`, `${p.draftsAfter} draft(s)`, p.ex);
  }
}
