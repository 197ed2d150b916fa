import type { CheckDef } from '../../src/kit/check.js';
import { describe, fail, isRefusal } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { writeSamples } from '../../src/kit/target.js';
import { aimsAtTenantData } from '../../src/kit/helpers.js';
import { createPayload, expectIntact, idemKey, marker, payloadFor, rejectPending, resourceFor, tierActions, window } from '../lib-write.js';

export const tenant004: CheckDef = {
  id: 'TENANT-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    "Another tenant's key sends every write sample of the target to POST /actions (a create into this tenant's container, every other write on a resource of this tenant made for it), the low- and medium-risk ones also with execute: true inside an open window of its app: " +
    'each is refused (403 policy_denied, 404), or drafted and then, once approved, never executes successfully; the resources survive.',
  expectedCodes: ['agent.policy_denied', 'agent.not_found'],
  async run(ctx) {
    const { create } = ctx.target.writes;
    const own = await ctx.persona({ name: 'tenant004 own' });
    // The other tenant's app may auto-execute its low- and medium-risk tools: a write it asks to run at once is
    // bound by the boundary as much as a draft is.
    const other = await ctx.persona({ name: 'tenant004 other', orgId: ctx.target.otherOrgId, autoExecute: { writes: window(ctx, tierActions(writeSamples(ctx.target), false)) } });
    let drafted = 0;
    try {
      // Each write on a resource of its own: one that was let run cannot hide another's by removing its target.
      const aimed: string[] = [];
      const unjudged = writeSamples(ctx.target).filter((s) => !aimsAtTenantData(ctx.target, s));
      if (unjudged.length > 0) ctx.note(`not judged, naming neither a resource nor ${ctx.target.containers.primary} (a tenant-wide write runs in the tenant that asks): ${unjudged.map((s) => s.action).join(', ')}`);
      for (const sample of writeSamples(ctx.target).filter((s) => aimsAtTenantData(ctx.target, s))) {
        const r = sample.action === create.action ? '' : await resourceFor(ctx, own, sample);
        if (r !== '') aimed.push(r);
        const action = sample.action;
        const body = () => ({ action, payload: sample.action === create.action ? createPayload(ctx, marker(ctx)) : payloadFor(sample, r, marker(ctx)) });
        if (sample.risk !== 'high') {
          // An execution that was refused (status failed, nothing ran) is the boundary at work, as for an approval below.
          const now = await other.client.actions({ ...body(), execute: true, idempotencyKey: idemKey(ctx) });
          if (dataOf(now)?.execution?.status === 'success') {
            fail(`another tenant's ${action} of this tenant's ${r === '' ? 'container' : `resource ${r}`} executed at once (execute: true inside its open window)`, 'refused (403 agent.policy_denied, 404), or a draft that never executes', describe(now), now);
          }
        }
        const ex = await other.client.actions(body());
        const id = dataOf(ex)?.draft?.id;
        if (isRefusal(ex) || typeof id !== 'string') continue;
        // §6: the resource's tenant must equal the app's, wherever the write touches it. A draft that was let
        // through is judged where it would touch the resource: its approval.
        drafted++;
        const ap = await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`);
        if (dataOf(ap)?.execution?.status === 'success') {
          fail(`another tenant's ${action} of this tenant's ${r === '' ? 'container' : `resource ${r}`} executed once approved`, 'refused (403 agent.policy_denied) when drafted, or no successful execution', describe(ap), ap);
        }
      }
      for (const r of aimed) await expectIntact(ctx, own, r, "another tenant's approved write reached this tenant's resource");
      ctx.note(drafted === 0 ? 'every cross-tenant write was refused when drafted' : `${drafted} cross-tenant write(s) drafted; none executed once approved`);
    } finally {
      await rejectPending(ctx, own.appId, other.appId);
    }
  },
};
