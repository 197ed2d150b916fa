import type { CheckDef, Persona } from '../../src/kit/check.js';
import { everyCase, expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { containerPolicy, listDrafts, rejectPending, samplePayloadOf } from '../../src/kit/helpers.js';

export const abac003: CheckDef = {
  id: 'ABAC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'The container allow-list (target.dataPolicy.containerField) of only the secondary container refuses reading the primary one (403 policy_denied) and admits the secondary; allowed_org_ids without the tenant refuses, with it admits. Writes alike: the create sample (into the primary container) is 403 policy_denied at preflight and POST actions under either policy and drafts nothing, and is admitted with the primary container or the tenant allowed.',
  expectedCodes: ['agent.policy_denied'],
  async run(ctx) {
    const { queryParam, primary, secondary, contentsTool } = ctx.target.containers;
    const field = ctx.target.dataPolicy.containerField;
    const read = (p: Persona, c: string) => p.client.read(contentsTool, { [queryParam]: c });
    // Every case is judged and every failing one reported (a server may break the container list, the org list, or writes).
    const cases = everyCase();
    const allowOne = await ctx.persona({ name: 'abac003 containers', policy: { data: containerPolicy(ctx.target, [secondary]) } });
    await cases.run(async () => expectError(await read(allowOne, primary), 'agent.policy_denied', `reading ${primary} with ${field} [${secondary}]`));
    await cases.run(async () => expectSuccess(await read(allowOne, secondary), `reading ${secondary} with ${field} [${secondary}]`));
    const nowhere = await ctx.persona({ name: 'abac003 orgs nowhere', policy: { data: { allowed_org_ids: ['org_conform_nowhere'] } } });
    // The positive control: a server refusing whenever allowed_org_ids is set would pass the denials alone.
    const own = await ctx.persona({ name: 'abac003 orgs own', policy: { data: { allowed_org_ids: [ctx.target.orgId, 'org_conform_nowhere'] } } });
    for (const c of [primary, secondary]) {
      await cases.run(async () => expectError(await read(nowhere, c), 'agent.policy_denied', `reading ${c} with allowed_org_ids [org_conform_nowhere]`));
      await cases.run(async () => expectSuccess(await read(own, c), `reading ${c} with allowed_org_ids [${ctx.target.orgId}, org_conform_nowhere]`));
    }

    // §6 lists the data policy among the per-operation checks, so it binds writes as reads: the create sample
    // writes into the primary container (target.containers), which neither policy allows.
    const { action } = ctx.target.writes.create;
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    const allowPrimary = await ctx.persona({ name: 'abac003 containers primary', policy: { data: containerPolicy(ctx.target, [primary]) } });
    try {
      // Positive controls: a server refusing every write under any data policy would pass the denials alone.
      await cases.run(async () => expectSuccess(await allowPrimary.client.preflight(action, payload), `preflight ${action} into ${primary} with ${field} [${primary}]`));
      await cases.run(async () => expectSuccess(await own.client.preflight(action, payload), `preflight ${action} with allowed_org_ids [${ctx.target.orgId}, org_conform_nowhere]`));
      for (const [p, policy] of [[allowOne, `${field} [${secondary}]`], [nowhere, 'allowed_org_ids [org_conform_nowhere]']] as const) {
        await cases.run(async () => expectError(await p.client.preflight(action, payload), 'agent.policy_denied', `preflight ${action} into ${primary} with ${policy}`));
        const ex = await p.client.actions({ action, payload });
        await cases.run(() => expectError(ex, 'agent.policy_denied', `POST actions ${action} into ${primary} with ${policy}`));
        const drafts = await listDrafts(ctx, p.appId);
        await cases.run(() => {
          if (drafts.length) fail(`a write the data policy refuses left ${drafts.length} draft(s)`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type}`).join(', '), ex);
        });
      }
      cases.done();
    } finally {
      await rejectPending(ctx, allowOne.appId, nowhere.appId);
    }
  },
};
