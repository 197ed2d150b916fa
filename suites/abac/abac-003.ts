import type { CheckDef } from '../../src/engine/check.js';
import { expectError, expectSuccess } from '../../src/engine/expect.js';

export const abac003: CheckDef = {
  id: 'ABAC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'allowed_ledger_ids [secondary] refuses the primary container (403 policy_denied) and admits the secondary; allowed_org_ids without the tenant refuses.',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const { queryParam, primary, secondary } = ctx.target.containers;
    const ledgers = await ctx.persona({ name: 'abac003 ledgers', policy: { data: { allowed_ledger_ids: [secondary] } } });
    expectError(await ledgers.client.transactions({ [queryParam]: primary }), 'agent.policy_denied', `reading ${primary} with allowed_ledger_ids [${secondary}]`);
    expectSuccess(await ledgers.client.transactions({ [queryParam]: secondary }), `reading ${secondary} with allowed_ledger_ids [${secondary}]`);
    const orgs = await ctx.persona({ name: 'abac003 orgs', policy: { data: { allowed_org_ids: ['org_conform_nowhere'] } } });
    for (const c of [primary, secondary]) {
      expectError(await orgs.client.transactions({ [queryParam]: c }), 'agent.policy_denied', `reading ${c} with allowed_org_ids [org_conform_nowhere]`);
    }
  },
};
