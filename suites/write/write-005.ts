import { ToolError, type CheckDef, type Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectError, fail } from '../../src/kit/expect.js';
import { AGENT_BASE, type ReasonCode } from '../../src/protocol/index.js';
import { agentDraft, createPayload, draftSample, idemKey, justification, marker, otherWrites, preflight, neverIssuedId, rejectPending, secondKey } from '../lib-write.js';
import { NEVER_ISSUED } from '../env/routes.js';

/** Within the tenant, only draft_not_found hides a draft. */
const HIDDEN: ReasonCode = 'agent.draft_not_found';
/** Another tenant's key may meet the tenant boundary first, as for any cross-tenant resource. */
const TENANT_BOUNDARY: ReasonCode[] = ['agent.policy_denied', 'agent.not_found'];

export const write005: CheckDef = {
  id: 'WRITE-005',
  safety: 'draft',
  needs: ['admin'],
  description: "A draft carries its payload, justification and preflight hash (its own key reads them, and so does a second key of its app); another app of the same tenant and an unknown id get 404 agent.draft_not_found for a draft, pending and once rejected (and for a pending draft of every other write sample), an app of another tenant gets that or a tenant-boundary denial (403 policy_denied, 404 not_found), all with none of its payload.",
  expectedCodes: [HIDDEN, ...TENANT_BOUNDARY, 'common.validation'],
  async run(ctx) {
    const owner = await ctx.persona({ name: 'write-owner' });
    const sibling = await ctx.persona({ name: 'write-sibling' });
    const foreign = await ctx.persona({ name: 'write-foreign', orgId: ctx.target.otherOrgId });
    try {
      const mark = marker(ctx);
      // Drafted with a justification and the preflight's impactHash: §2, a draft "carries payload, preflight
      // hash, … justification". The brief names no field, so the owner's view is searched for the values.
      const payload = createPayload(ctx, mark);
      const why = `${justification(ctx)} ${idemKey(ctx)}`;
      const { action } = ctx.target.writes.create;
      const { impactHash } = await preflight(owner, action, payload);
      const drafted = await owner.client.actions({ action, payload, justification: why, preflightHash: impactHash });
      const id = dataOf(drafted)?.draft?.id;
      if (dataOf(drafted)?.status !== 'draft' || typeof id !== 'string') throw new ToolError(`set-up: ${action} without execute did not answer a pending draft: ${describe(drafted)} (see WRITE-001)`);
      // Positive control: the draft is readable, so the 404s below are about who asks.
      const own = await agentDraft(owner, id, "the owner's poll");
      const shown = JSON.stringify(own.draft);
      for (const [what, value] of [['payload', mark], ['justification', why], ['preflight hash', impactHash]] as const) {
        if (!shown.includes(value)) fail(`the owner's GET /drafts/{id} does not show the draft's ${what}`, `the draft carrying "${value}"`, shown.slice(0, 200));
      }
      // The draft is its app's, not its key's (§5: draft_not_found is for a draft "missing or another app's"): a
      // second key of the owner's app polls it too.
      const { keyId, client } = await secondKey(ctx, owner, 'poll key');
      const polled = await agentDraft({ ...owner, client }, id, "a second key of the owner's app polling the draft");
      if (polled.draft.id !== id) fail("a second key of the owner's app polled another draft", `draft ${id}`, `draft ${String(polled.draft.id)}`);
      await ctx.admin.revokeKey(keyId);

      const probes: [string, ReasonCode | ReasonCode[], () => Promise<Exchange>][] = [
        ['another app of the same tenant', HIDDEN, () => sibling.client.draft(id)],
        // A query string exists only on the HTTP binding.
        ...(ctx.binding === 'http'
          ? [['another app naming the owner app in the query', HIDDEN, () => sibling.client.request({ method: 'GET', path: `${AGENT_BASE}/drafts/${encodeURIComponent(id)}?appId=${encodeURIComponent(owner.appId)}` })] as [string, ReasonCode, () => Promise<Exchange>]]
          : []),
        ['an app of another tenant', [HIDDEN, ...TENANT_BOUNDARY], () => foreign.client.draft(id)],
        ['the owner asking for an id never issued', [...NEVER_ISSUED], () => owner.client.draft(neverIssuedId(id))],
      ];
      const hidden = async (state: string) => {
        for (const [who, codes, probe] of probes) {
          const ex = await probe();
          expectError(ex, codes, `GET /drafts/{id} of a ${state} draft by ${who}`);
          if (ex.response.text.includes(mark)) fail(`GET /drafts/{id} of a ${state} draft by ${who} discloses the draft's payload`, 'no payload in the refusal', ex.response.text.slice(0, 200), ex);
        }
      };
      await hidden('pending');
      // A final draft is still another app's: §5 draft_not_found is "missing or another app's", in any state.
      const rejected = await ctx.admin.reject(id, `openport-conform ${ctx.checkId}`);
      if (dataOf(rejected) === undefined) throw new ToolError(`set-up: rejecting draft ${id} failed: ${describe(rejected)} (see WRITE-003)`);
      await hidden('rejected');
      // Every other write tool's pending draft is the owner's alone too (aimed at the tenant's existing resource:
      // this check executes nothing, and the drafts are rejected at the end).
      for (const sample of otherWrites(ctx)) {
        const other = await draftSample(ctx, owner, sample, ctx.target.existingResourceId);
        expectError(await sibling.client.draft(other), HIDDEN, `GET /drafts/{id} of a pending ${sample.action} draft by another app of the same tenant`);
      }
    } finally {
      await rejectPending(ctx, owner.appId);
    }
  },
};
