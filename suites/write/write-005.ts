import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { expectError, fail } from '../../src/kit/expect.js';
import { AGENT_BASE, type ReasonCode } from '../../src/protocol/index.js';
import { agentDraft, draftCreate, marker, rejectPending } from '../lib-write.js';

/** Within the tenant, only draft_not_found hides a draft. */
const HIDDEN: ReasonCode = 'agent.draft_not_found';
/** Another tenant's key may meet the tenant boundary first, as for any cross-tenant resource. */
const TENANT_BOUNDARY: ReasonCode[] = ['agent.policy_denied', 'agent.not_found'];

/** The same id with its last character changed: well-formed for the server, but never issued. */
function neighbourId(id: string): string {
  const last = id.at(-1);
  return id.slice(0, -1) + (last === '0' ? '1' : '0');
}

export const write005: CheckDef = {
  id: 'WRITE-005',
  safety: 'draft',
  needs: ['admin'],
  description: "Another app of the same tenant and an unknown id get 404 agent.draft_not_found for a draft, an app of another tenant gets that or a tenant-boundary denial (403 policy_denied, 404 not_found), all with none of its payload; its own key can read it.",
  expectedCodes: [HIDDEN, ...TENANT_BOUNDARY],
  async run(ctx) {
    const owner = await ctx.persona({ name: 'write-owner' });
    const sibling = await ctx.persona({ name: 'write-sibling' });
    const foreign = await ctx.persona({ name: 'write-foreign', orgId: ctx.target.otherOrgId });
    try {
      const mark = marker(ctx);
      const id = await draftCreate(ctx, owner, mark);
      // Positive control: the draft is readable, so the 404s below are about who asks.
      const own = await agentDraft(owner, id, "the owner's poll");
      if (!JSON.stringify(own.draft).includes(mark)) fail("the owner's GET /drafts/{id} does not show its payload", `draft payload with "${mark}"`, JSON.stringify(own.draft).slice(0, 200));

      const probes: [string, ReasonCode | ReasonCode[], () => Promise<Exchange>][] = [
        ['another app of the same tenant', HIDDEN, () => sibling.client.draft(id)],
        // A query string exists only on the HTTP binding.
        ...(ctx.binding === 'http'
          ? [['another app naming the owner app in the query', HIDDEN, () => sibling.client.request({ method: 'GET', path: `${AGENT_BASE}/drafts/${encodeURIComponent(id)}?appId=${encodeURIComponent(owner.appId)}` })] as [string, ReasonCode, () => Promise<Exchange>]]
          : []),
        ['an app of another tenant', [HIDDEN, ...TENANT_BOUNDARY], () => foreign.client.draft(id)],
        ['the owner asking for an id never issued', HIDDEN, () => owner.client.draft(neighbourId(id))],
      ];
      for (const [who, codes, probe] of probes) {
        const ex = await probe();
        expectError(ex, codes, `GET /drafts/{id} by ${who}`);
        if (ex.response.text.includes(mark)) fail(`GET /drafts/{id} by ${who} discloses the draft's payload`, 'no payload in the refusal', ex.response.text.slice(0, 200), ex);
      }
    } finally {
      await rejectPending(ctx, owner.appId);
    }
  },
};
