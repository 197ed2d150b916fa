import type { CheckDef, Exchange } from '../../src/engine/check.js';
import { expectError, fail } from '../../src/engine/expect.js';
import { listDrafts, withResource } from '../../src/engine/helpers.js';
import { expectNoMarkers } from '../env/routes.js';

const DENIED = ['agent.policy_denied', 'agent.not_found'] as const;

export const tenant003: CheckDef = {
  id: 'TENANT-003',
  safety: 'draft',
  needs: ['admin'],
  description: "Another tenant's key cannot preflight or draft any sample write (create, update, high-risk) on this tenant's resources, even naming the tenant in the payload; nothing leaks, nothing is created.",
  expectedCodes: [...DENIED],
  async run(ctx) {
    const t = ctx.target;
    const other = await ctx.persona({ name: 'tenant003 other', orgId: t.otherOrgId });
    // A payload hint is an unknown field to a strict validator: a validation refusal also denies it.
    const denied = (ex: Exchange, what: string, hinted: boolean) => {
      expectError(ex, hinted ? [...DENIED, 'common.validation'] : [...DENIED], what);
      expectNoMarkers(ex, t.existingResourceMarkers, what);
    };
    const samples = [t.writes.create, t.writes.update, t.writes.highRisk];
    for (const sample of samples.filter((s, i) => samples.findIndex((o) => o.action === s.action) === i)) {
      const payload = withResource(sample.payload, t.existingResourceId);
      const aim = JSON.stringify(payload).includes(JSON.stringify(t.existingResourceId)) ? `on ${t.existingResourceId}` : `into ${t.containers.primary}`;
      for (const [hint, p, hinted] of [
        ['', payload, false],
        [' with org_id in the payload', { ...payload, org_id: t.orgId }, true],
        [' with orgId in the payload', { ...payload, orgId: t.orgId }, true],
      ] as const) {
        denied(await other.client.preflight(sample.action, p), `another tenant's preflight of ${sample.action} ${aim}${hint}`, hinted);
        denied(await other.client.actions({ action: sample.action, payload: p }), `another tenant's draft of ${sample.action} ${aim}${hint}`, hinted);
      }
    }
    const drafts = await listDrafts(ctx, other.appId);
    if (drafts.length) fail(`another tenant's key got ${drafts.length} draft(s) against this tenant`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type}`).join(', '));
  },
};
