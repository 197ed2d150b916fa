import type { CheckDef, Persona } from '../../src/engine/check.js';
import { expectError, expectSuccess } from '../../src/engine/expect.js';

export const abac003: CheckDef = {
  id: 'ABAC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'allowed_ledger_ids [secondary] refuses the primary container (403 policy_denied) and admits the secondary; allowed_org_ids without the tenant refuses, with it admits.',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const { queryParam, primary, secondary } = ctx.target.containers;
    const read = (p: Persona, c: string) => p.client.transactions({ [queryParam]: c });
    const ledgers = await ctx.persona({ name: 'abac003 ledgers', policy: { data: { allowed_ledger_ids: [secondary] } } });
    expectError(await read(ledgers, primary), 'agent.policy_denied', `reading ${primary} with allowed_ledger_ids [${secondary}]`);
    expectSuccess(await read(ledgers, secondary), `reading ${secondary} with allowed_ledger_ids [${secondary}]`);
    const nowhere = await ctx.persona({ name: 'abac003 orgs nowhere', policy: { data: { allowed_org_ids: ['org_conform_nowhere'] } } });
    // The positive control: a server refusing whenever allowed_org_ids is set would pass the denials alone.
    const own = await ctx.persona({ name: 'abac003 orgs own', policy: { data: { allowed_org_ids: [ctx.target.orgId, 'org_conform_nowhere'] } } });
    for (const c of [primary, secondary]) {
      expectError(await read(nowhere, c), 'agent.policy_denied', `reading ${c} with allowed_org_ids [org_conform_nowhere]`);
      expectSuccess(await read(own, c), `reading ${c} with allowed_org_ids [${ctx.target.orgId}, org_conform_nowhere]`);
    }
  },
};
