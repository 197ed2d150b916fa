import type { CheckDef } from '../../src/engine/check.js';
import { expectError, expectSuccess, fail } from '../../src/engine/expect.js';
import { expectNoMarkers } from '../env/routes.js';

export const tenant001: CheckDef = {
  id: 'TENANT-001',
  safety: 'draft',
  needs: ['admin'],
  description: "A key of another tenant is denied the tenant's containers (403 policy_denied or 404 not_found, no data) and does not see them listed.",
  expectedCodes: ['agent.policy_denied', 'agent.not_found'],
  async run(ctx) {
    const t = ctx.target;
    const { queryParam, primary, secondary } = t.containers;
    const own = await ctx.persona({ name: 'tenant001 own' });
    const other = await ctx.persona({ name: 'tenant001 other', orgId: t.otherOrgId });
    for (const c of [primary, secondary]) {
      expectSuccess(await own.client.transactions({ [queryParam]: c }), `positive control: the tenant's own key reads ${c}`);
      const ex = await other.client.transactions({ [queryParam]: c });
      const what = `another tenant's key reading ${c}`;
      expectError(ex, ['agent.policy_denied', 'agent.not_found'], what);
      expectNoMarkers(ex, t.existingResourceMarkers, what);
    }
    const ownList = await own.client.ledgers();
    expectSuccess(ownList, "positive control: the tenant's own ledger listing");
    if (!ownList.response.text.includes(JSON.stringify(primary))) {
      fail(`positive control: the tenant's own listing does not include ${primary}`, `${primary} listed`, ownList.response.text.slice(0, 200), ownList);
    }
    const list = await other.client.ledgers();
    for (const c of [primary, secondary]) {
      if (list.response.text.includes(JSON.stringify(c))) fail(`another tenant's ledger listing includes ${c}`, `neither ${primary} nor ${secondary} listed`, list.response.text.slice(0, 300), list);
    }
    expectNoMarkers(list, t.existingResourceMarkers, "another tenant's ledger listing");
  },
};
