import type { CheckDef } from '../../src/kit/check.js';
import { describe, fail, isRefusal } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { createPayload, createResource, expectIntact, marker, payloadFor, rejectPending } from '../lib-write.js';

export const tenant004: CheckDef = {
  id: 'TENANT-004',
  safety: 'execute',
  needs: ['admin'],
  description:
    "Another tenant's key sends every sample write (create into this tenant's container, update and high-risk on a resource of this tenant) to POST /actions: " +
    'each is refused (403 policy_denied, 404), or drafted and then, once approved, never executes successfully; the resource survives.',
  expectedCodes: ['agent.policy_denied', 'agent.not_found'],
  async run(ctx) {
    const { create, update, highRisk } = ctx.target.writes;
    const own = await ctx.persona({ name: 'tenant004 own' });
    const other = await ctx.persona({ name: 'tenant004 other', orgId: ctx.target.otherOrgId });
    let drafted = 0;
    try {
      const r = await createResource(ctx, own);
      // The high-risk write last: on a server that lets it run, it removes the resource the others aim at.
      const writes: [string, Record<string, unknown>][] = [
        [create.action, createPayload(ctx, marker(ctx))],
        ...[update, highRisk].filter((s, i, all) => all.findIndex((o) => o.action === s.action) === i).map((s): [string, Record<string, unknown>] => [s.action, payloadFor(s, r)]),
      ];
      for (const [action, payload] of writes) {
        const ex = await other.client.actions({ action, payload });
        const id = dataOf(ex)?.draft?.id;
        if (isRefusal(ex) || typeof id !== 'string') continue;
        // §6: the resource's tenant must equal the app's, wherever the write touches it. A draft that was let
        // through is judged where it would touch the resource: its approval.
        drafted++;
        const ap = await ctx.admin.approve(id, `openport-conform ${ctx.checkId}`);
        if (dataOf(ap)?.execution?.status === 'success') {
          fail(`another tenant's ${action} of this tenant's ${action === create.action ? 'container' : `resource ${r}`} executed once approved`, 'refused (403 agent.policy_denied) when drafted, or no successful execution', describe(ap), ap);
        }
      }
      await expectIntact(ctx, own, r, "another tenant's approved write reached this tenant's resource");
      ctx.note(drafted === 0 ? 'every cross-tenant write was refused when drafted' : `${drafted} cross-tenant write(s) drafted; none executed once approved`);
    } finally {
      await rejectPending(ctx, own.appId, other.appId);
    }
  },
};
