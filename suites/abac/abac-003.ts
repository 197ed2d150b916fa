import type { CheckDef, Persona } from '../../src/kit/check.js';
import { expectError, expectSuccess } from '../../src/kit/expect.js';
import { containerPolicy } from '../../src/kit/helpers.js';

export const abac003: CheckDef = {
  id: 'ABAC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'The container allow-list (target.dataPolicy.containerField) of only the secondary container refuses reading the primary one (403 policy_denied) and admits the secondary; allowed_org_ids without the tenant refuses, with it admits.',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const { queryParam, primary, secondary, contentsTool } = ctx.target.containers;
    const field = ctx.target.dataPolicy.containerField;
    const read = (p: Persona, c: string) => p.client.read(contentsTool, { [queryParam]: c });
    const allowOne = await ctx.persona({ name: 'abac003 containers', policy: { data: containerPolicy(ctx.target, [secondary]) } });
    expectError(await read(allowOne, primary), 'agent.policy_denied', `reading ${primary} with ${field} [${secondary}]`);
    expectSuccess(await read(allowOne, secondary), `reading ${secondary} with ${field} [${secondary}]`);
    const nowhere = await ctx.persona({ name: 'abac003 orgs nowhere', policy: { data: { allowed_org_ids: ['org_conform_nowhere'] } } });
    // The positive control: a server refusing whenever allowed_org_ids is set would pass the denials alone.
    const own = await ctx.persona({ name: 'abac003 orgs own', policy: { data: { allowed_org_ids: [ctx.target.orgId, 'org_conform_nowhere'] } } });
    for (const c of [primary, secondary]) {
      expectError(await read(nowhere, c), 'agent.policy_denied', `reading ${c} with allowed_org_ids [org_conform_nowhere]`);
      expectSuccess(await read(own, c), `reading ${c} with allowed_org_ids [${ctx.target.orgId}, org_conform_nowhere]`);
    }
  },
};
