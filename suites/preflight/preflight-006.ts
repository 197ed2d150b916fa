import { Skip, type CheckDef } from '../../src/kit/check.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { listDrafts } from '../../src/kit/helpers.js';
import { dataOf } from '../../src/kit/clients.js';
import { draftFromPreflight, expectMarkedCount, neverIssuedId, preflightedCreate, rejectPending } from '../lib-write.js';

export const preflight006: CheckDef = {
  id: 'PREFLIGHT-006',
  safety: 'draft',
  needs: ['admin'],
  description: "POST /actions with a preflightId never issued is 400 agent.preflight_not_found; naming another write action than the one a preflightId was issued for is 400 agent.preflight_mismatch, and neither creates a draft or a resource; the matching action drafts fine.",
  expectedCodes: ['agent.preflight_mismatch', 'agent.preflight_not_found'],
  async run(ctx) {
    const { create, update, highRisk } = ctx.target.writes;
    const other = [update.action, highRisk.action].find((a) => a !== create.action);
    if (!other) throw new Skip('the target names no write action besides the create sample', 'set target.writes.update or highRisk');
    const p = await ctx.persona({ name: 'preflight-action' });
    try {
      const { mark, payload, preflightId } = await preflightedCreate(ctx, p);

      // §5: agent.preflight_not_found [400] (unknown, …): an id never issued, well-formed for the server.
      const unknown = neverIssuedId(preflightId);
      const none = await p.client.actions({ action: create.action, preflightId: unknown });
      expectError(none, 'agent.preflight_not_found', 'a preflightId never issued');

      const ex = await p.client.actions({ action: other, preflightId });
      expectError(ex, 'agent.preflight_mismatch', `a ${create.action} preflightId presented for ${other}`);
      const drafts = await listDrafts(ctx, p.appId);
      if (drafts.length) fail('the refused request still created a draft', 'no draft', drafts.map((d) => `${d.id} (${d.action_type})`).join(', '), ex);
      await expectMarkedCount(ctx, p, mark, 0, 'a mismatched preflightId wrote');

      // Control: the same preflightId with its own action is accepted, so the refusal is about the action.
      const own = await draftFromPreflight(ctx, p, create.action, payload, preflightId);
      if (dataOf(own)?.status !== 'draft') fail('the preflightId is refused even with its own action', 'HTTP 200 data.status "draft"', describe(own), own);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
