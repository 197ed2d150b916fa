import type { CheckDef } from '../../src/engine/check.js';
import { describe, expectError, fail } from '../../src/engine/expect.js';
import { listDrafts } from '../../src/engine/helpers.js';
import { createPayload, dataOf, marker, preflight, rejectPending } from '../lib-write.js';

export const preflight005: CheckDef = {
  id: 'PREFLIGHT-005',
  safety: 'draft',
  needs: ['admin'],
  description: "Another app of the same tenant with the same scopes presenting app A's preflightId gets 400 agent.preflight_not_found and no draft; A itself can use it.",
  expectedCodes: ['agent.preflight_not_found'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const a = await ctx.persona({ name: 'preflight-owner' });
    const b = await ctx.persona({ name: 'preflight-thief' });
    try {
      const mark = marker(ctx);
      const { preflightId } = await preflight(a, action, createPayload(ctx, mark));
      if (typeof preflightId !== 'string') fail('preflight returned no preflightId', 'data.preflightId', 'none');

      const stolen = await b.client.actions({ action, preflightId });
      expectError(stolen, 'agent.preflight_not_found', "another app's preflightId");
      const bDrafts = await listDrafts(ctx, b.appId);
      if (bDrafts.length) fail("another app's preflightId produced a draft", 'no draft for the other app', `${bDrafts.length} draft(s)`, stolen);

      // Control: the preflightId works for the app it was issued to, so the refusal above is about who presents it.
      const own = await a.client.actions({ action, preflightId });
      const d = dataOf(own);
      if (d?.status !== 'draft' || !JSON.stringify(d.draft?.payload ?? null).includes(mark)) {
        fail("the preflight's own app cannot draft from its preflightId", 'HTTP 200 data.status "draft" with the preflighted payload', describe(own), own);
      }
    } finally {
      await rejectPending(ctx, a.appId, b.appId);
    }
  },
};
