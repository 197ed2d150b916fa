import type { CheckDef } from '../../src/engine/check.js';
import { expectError, fail } from '../../src/engine/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { AGENT_BASE } from '../../src/protocol/types.js';
import { expectNoMarkers } from '../env/routes.js';

const DENIED: ReasonCode[] = ['agent.policy_denied', 'agent.not_found'];

type Hint = [label: string, query: string, headers: Record<string, string>, codes: ReasonCode[]];

export const tenant002: CheckDef = {
  id: 'TENANT-002',
  safety: 'draft',
  needs: ['admin'],
  description: "Another tenant's key naming this tenant in the query (orgId, org_id, tenantId) or headers (x-org-id, x-tenant-id, x-organization-id) is still denied.",
  expectedCodes: ['agent.policy_denied', 'agent.not_found'],
  async run(ctx) {
    const t = ctx.target;
    const { queryParam, primary, secondary } = t.containers;
    const victim = encodeURIComponent(t.orgId);
    const other = await ctx.persona({ name: 'tenant002 other', orgId: t.otherOrgId });
    // A query hint is an unknown parameter to a strict validator: a validation refusal also denies it.
    const hints: Hint[] = [
      ...['orgId', 'org_id', 'tenantId'].map((q): Hint => [`?${q}=`, `&${q}=${victim}`, {}, [...DENIED, 'common.validation']]),
      ...['x-org-id', 'x-tenant-id', 'x-organization-id'].map((h): Hint => [`header ${h}`, '', { [h]: t.orgId }, DENIED]),
    ];
    for (const [label, q, headers, codes] of hints) {
      const read = await other.client.request({ method: 'GET', path: `${AGENT_BASE}/transactions?${encodeURIComponent(queryParam)}=${encodeURIComponent(primary)}${q}`, headers });
      const what = `another tenant's key reading ${primary} with tenant hint ${label}`;
      expectError(read, codes, what);
      expectNoMarkers(read, t.existingResourceMarkers, what);
      const list = await other.client.request({ method: 'GET', path: `${AGENT_BASE}/ledgers${q.replace(/^&/, '?')}`, headers });
      for (const c of [primary, secondary]) {
        if (list.response.text.includes(JSON.stringify(c))) fail(`another tenant's ledger listing with tenant hint ${label} includes ${c}`, 'the tenant\'s containers not listed', list.response.text.slice(0, 300), list);
      }
    }
  },
};
