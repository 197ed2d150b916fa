import { ToolError, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { listDrafts } from '../../src/kit/helpers.js';
import { dataOf } from '../../src/kit/clients.js';
import { createPayload, draftFromPreflight, marker, preflight, rejectPending } from '../lib-write.js';

export const preflight005: CheckDef = {
  id: 'PREFLIGHT-005',
  safety: 'draft',
  needs: ['admin'],
  description:
    "Another app of the same tenant with the same scopes presenting app A's preflightId gets 400 agent.preflight_not_found and no draft, " +
    'and so does a second key of app A (a preflightId is bound to its key); the key that preflighted can use it.',
  expectedCodes: ['agent.preflight_not_found'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const a = await ctx.persona({ name: 'preflight-owner' });
    const b = await ctx.persona({ name: 'preflight-thief' });
    try {
      const mark = marker(ctx);
      const payload = createPayload(ctx, mark);
      const { preflightId } = await preflight(a, action, payload);
      if (typeof preflightId !== 'string') fail('preflight returned no preflightId', 'data.preflightId', 'none');
      const newDrafts = async (appId: string, before: number, ex: Exchange, who: string) => {
        const n = (await listDrafts(ctx, appId)).length;
        if (n !== before) fail(`a preflightId presented by ${who} produced a draft`, `${before} draft(s) of app ${appId}`, `${n} draft(s)`, ex);
      };

      const stolen = await b.client.actions({ action, preflightId });
      expectError(stolen, 'agent.preflight_not_found', "another app's preflightId");
      await newDrafts(b.appId, 0, stolen, 'another app');

      const token = dataOf(await ctx.admin.createKey(a.appId, { name: `openport-conform ${ctx.checkId} second key` }))?.token;
      if (typeof token !== 'string') throw new ToolError(`set-up: POST /apps/${a.appId}/keys returned no data.token`);
      const draftsOfA = (await listDrafts(ctx, a.appId)).length;
      const sameApp = await ctx.client(token).actions({ action, preflightId });
      expectError(sameApp, 'agent.preflight_not_found', 'a preflightId presented by another key of the same app');
      await newDrafts(a.appId, draftsOfA, sameApp, 'another key of the same app');

      // Control: the preflightId works for the key it was issued to, so the refusals above are about who presents it.
      const own = await draftFromPreflight(ctx, a, action, payload, preflightId);
      const d = dataOf(own);
      if (d?.status !== 'draft' || !JSON.stringify(d.draft?.payload ?? null).includes(mark)) {
        fail("the preflight's own key cannot draft from its preflightId", 'HTTP 200 data.status "draft" with the preflighted payload', describe(own), own);
      }
    } finally {
      await rejectPending(ctx, a.appId, b.appId);
    }
  },
};
