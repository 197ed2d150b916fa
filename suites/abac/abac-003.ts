import type { CheckDef, Persona } from '../../src/kit/check.js';
import { describe, everyCase, expectError, expectSuccess, fail, successStatusAllowed } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { writeSamples } from '../../src/kit/target.js';
import { aimsAtResource, aimsAtTenantData, containerPolicy, listDrafts, rejectPending, samplePayloadOf } from '../../src/kit/helpers.js';
import { idemKey, tierActions, window } from '../lib-write.js';
import { datedPayload } from './abac-004.js';

export const abac003: CheckDef = {
  id: 'ABAC-003',
  safety: 'draft',
  needs: ['admin'],
  description: 'The container allow-list (target.dataPolicy.containerField) of only the secondary container refuses reading the primary one (403 policy_denied) and admits the secondary; allowed_org_ids without the tenant refuses, with it admits. Writes alike, every write sample of the target (the create into the primary container, the others on the existing resource): 403 policy_denied at preflight and POST actions under either policy (the low- and medium-risk ones that write into a container also with execute: true inside an open window), no draft, and admitted with the primary container or the tenant allowed; a sample that reads a date range (target window, an export) also with a 10-day range in its payload (a sample other than the create that the allowing policy refuses too is not judged, and the pass says so).',
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

    // §6 lists the data policy among the per-operation checks, so it binds writes as reads, and every write
    // tool alike: each write sample of the target (the create into the primary container, the others on the
    // existing resource), under a policy that allows it (the control) and one that does not.
    const { create } = ctx.target.writes;
    const allowPrimary = await ctx.persona({ name: 'abac003 containers primary', policy: { data: containerPolicy(ctx.target, [primary]) } });
    const policies = [
      { admits: allowPrimary, admitsBy: `${field} [${primary}]`, refuses: allowOne, refusesBy: `${field} [${secondary}]` },
      { admits: own, admitsBy: `allowed_org_ids [${ctx.target.orgId}, org_conform_nowhere]`, refuses: nowhere, refusesBy: 'allowed_org_ids [org_conform_nowhere]' },
    ];
    const unjudged: string[] = [];
    try {
      const lowAndMedium = tierActions(writeSamples(ctx.target), false);
      for (const { refuses } of policies) await ctx.admin.setAutoExecute(refuses.appId, { writes: window(ctx, lowAndMedium) });
      for (const sample of writeSamples(ctx.target)) {
        const { action } = sample;
        // A write that names neither a resource nor the container is outside what a container allow-list can bind.
        if (!aimsAtTenantData(ctx.target, sample)) {
          unjudged.push(`${action} (names neither a resource nor ${primary})`);
          continue;
        }
        const plain = samplePayloadOf(ctx.target, sample.payload);
        // A payload's optional members must not open a way around the allow-list: a write that reads a date range
        // (an export) is also sent with a 10-day window, in the form the server's validator takes.
        const variants: [string, Record<string, unknown>][] = [['', plain]];
        if (sample.window) variants.push([` with ${sample.window.startField}/${sample.window.endField}`, await datedPayload(ctx, allowPrimary, sample.action, plain, sample.window)]);
        for (const [how, payload] of variants) {
          const aim = `${aimsAtResource(sample) ? `on ${ctx.target.existingResourceId}` : `into ${primary}`}${how}`;
          for (const { admits, admitsBy, refuses, refusesBy } of policies) {
            // The control: a server refusing every write under any data policy would pass the denials alone. The
            // create sample must be admitted; another sample the allowing policy refuses (its resource may lie in
            // another container) is not judged, and said so.
            const control = await admits.client.preflight(action, payload);
            if (sample === create && how === '') await cases.run(async () => expectSuccess(control, `preflight ${action} ${aim} with ${admitsBy}`));
            else if (!successStatusAllowed(control) || dataOf(control) === undefined) {
              unjudged.push(`${action}${how} (the allowing policy ${admitsBy} was refused too: ${describe(control)})`);
              continue;
            }
            await cases.run(async () => expectError(await refuses.client.preflight(action, payload), 'agent.policy_denied', `preflight ${action} ${aim} with ${refusesBy}`));
            const ex = await refuses.client.actions({ action, payload });
            await cases.run(() => expectError(ex, 'agent.policy_denied', `POST actions ${action} ${aim} with ${refusesBy}`));
            // And asked to execute at once, under a window of its tier that allows it (the refusing apps hold one for the
            // low- and medium-risk tools; a high-risk execute without a preflight never passes its gates anyway). Only
            // writes into a container: this check runs at safety draft, and on a server with this very defect the write
            // runs, so none is aimed at an existing resource.
            if (sample.risk !== 'high' && !aimsAtResource(sample)) {
              const now = await refuses.client.actions({ action, payload, execute: true, idempotencyKey: idemKey(ctx) });
              await cases.run(() => expectError(now, 'agent.policy_denied', `POST actions ${action} ${aim} (execute: true, inside an open window) with ${refusesBy}`));
            }
          }
        }
      }
      for (const { refuses } of policies) {
        const drafts = await listDrafts(ctx, refuses.appId);
        await cases.run(() => {
          if (drafts.length) fail(`writes the data policy refuses left ${drafts.length} draft(s)`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type}`).join(', '));
        });
      }
      cases.done();
      if (unjudged.length > 0) ctx.partial(`write samples not judged: ${unjudged.join('; ')}`);
    } finally {
      await rejectPending(ctx, allowOne.appId, nowhere.appId);
    }
  },
};
