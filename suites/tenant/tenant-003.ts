import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { describe, fail, isRefusal } from '../../src/kit/expect.js';
import { idemKey } from '../lib-write.js';
import { countExecutions, listDrafts, rejectPending, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { expectNoMarkers, expectOwnerSeesMarkers } from '../env/routes.js';

export const tenant003: CheckDef = {
  id: 'TENANT-003',
  safety: 'draft',
  needs: ['admin'],
  description:
    "Another tenant's key preflights and drafts every write sample of the target (create, update, high-risk and the others) on this tenant's resources, also naming the tenant in the payload: no answer may carry the resource's data " +
    '(a preflight impact or witness of the foreign row is a disclosure) and no draft it got may have run. Refusing (403 policy_denied, 404) is the usual answer; a 200 that discloses nothing is accepted (the brief checks the tenant where the resource is touched), but a request refused without a switch must be refused with forceDraft: true and with execute: true too.',
  expectedCodes: ['agent.policy_denied', 'agent.not_found'],
  async run(ctx) {
    const t = ctx.target;
    // A 200 that shows no marker passes here, so the markers must first be shown to be visible at all.
    await expectOwnerSeesMarkers(ctx, (await ctx.persona({ name: 'tenant003 own' })).client);
    // A key of the other tenant per sample: six requests each, well inside any rate limit.
    const others: string[] = [];
    let accepted = 0;
    const judge = (ex: Exchange, what: string) => {
      expectNoMarkers(ex, t.existingResourceMarkers, what);
      if (!isRefusal(ex)) accepted++;
    };
    try {
      for (const sample of writeSamples(t)) {
        const other = await ctx.persona({ name: `tenant003 other ${sample.action}`, orgId: t.otherOrgId });
        others.push(other.appId);
        const payload = samplePayloadOf(t, sample.payload);
        let plain: Exchange | undefined;
        const aim = JSON.stringify(payload).includes(JSON.stringify(t.existingResourceId)) ? `on ${t.existingResourceId}` : `into ${t.containers.primary}`;
        for (const [hint, p] of [
          ['', payload],
          [' with org_id in the payload', { ...payload, org_id: t.orgId }],
          [' with orgId in the payload', { ...payload, orgId: t.orgId }],
        ] as const) {
          judge(await other.client.preflight(sample.action, p), `another tenant's preflight of ${sample.action} ${aim}${hint}`);
          const drafted = await other.client.actions({ action: sample.action, payload: p });
          judge(drafted, `another tenant's draft of ${sample.action} ${aim}${hint}`);
          if (hint === '') plain = drafted;
        }
        // forceDraft and execute choose how a write proceeds (§7), not whether the tenant boundary holds (§6): a
        // server that refused the plain request refuses it with either switch too.
        if (plain !== undefined && isRefusal(plain)) {
          for (const [label, body] of [
            ['forceDraft: true', { forceDraft: true }],
            ['execute: true', { execute: true, idempotencyKey: idemKey(ctx) }],
          ] as const) {
            const ex = await other.client.actions({ action: sample.action, payload, ...body });
            const what = `another tenant's POST actions ${sample.action} ${aim} with ${label}`;
            expectNoMarkers(ex, t.existingResourceMarkers, what);
            if (!isRefusal(ex)) fail(`${what} was let through, though the same request without ${label} was refused (${describe(plain)})`, 'a refusal (403 policy_denied, 404), as without the switch', describe(ex), ex);
          }
        }
      }
      const drafts = (await Promise.all(others.map((id) => listDrafts(ctx, id)))).flat();
      let ran = 0;
      for (const id of others) ran += await countExecutions(ctx, id);
      if (ran > 0) fail(`${ran} of another tenant's drafts against this tenant ran without approval`, 'no execution', `${ran} execution(s) among ${drafts.map((d) => `${d.id} ${d.action_type}`).join(', ')}`);
      ctx.note(`${accepted} cross-tenant requests answered without a refusal and without disclosure; ${drafts.length} pending draft(s) rejected`);
    } finally {
      await rejectPending(ctx, ...others);
    }
  },
};
