import type { CheckDef, Exchange } from '../../src/engine/check.js';
import { expectError, fail } from '../../src/engine/expect.js';
import { listDrafts, withResource } from '../../src/engine/helpers.js';
import { expectNoMarkers } from '../env/routes.js';

const DENIED = ['agent.policy_denied', 'agent.not_found'] as const;

export const tenant003: CheckDef = {
  id: 'TENANT-003',
  safety: 'draft',
  needs: ['admin'],
  description: "Another tenant's key cannot preflight or draft writes on this tenant's resources, even naming the tenant in the payload; nothing leaks, nothing is created.",
  expectedCodes: [...DENIED],
  async run(ctx) {
    const t = ctx.target;
    const other = await ctx.persona({ name: 'tenant003 other', orgId: t.otherOrgId });
    const highRisk = withResource(t.writes.highRisk.payload, t.existingResourceId);
    const create = t.writes.create.payload;
    // A payload hint is an unknown field to a strict validator: a validation refusal also denies it.
    const denied = (ex: Exchange, what: string, hinted = false) => {
      expectError(ex, hinted ? [...DENIED, 'common.validation'] : [...DENIED], what);
      expectNoMarkers(ex, t.existingResourceMarkers, what);
    };
    const hinted = (p: Record<string, unknown>) => [
      ['', p, false],
      [' with org_id in the payload', { ...p, org_id: t.orgId }, true],
      [' with orgId in the payload', { ...p, orgId: t.orgId }, true],
    ] as const;
    for (const [hint, payload, h] of hinted(highRisk)) {
      denied(await other.client.preflight(t.writes.highRisk.action, payload), `another tenant's preflight of ${t.writes.highRisk.action} on ${t.existingResourceId}${hint}`, h);
    }
    for (const [hint, payload, h] of hinted(create)) {
      denied(await other.client.preflight(t.writes.create.action, payload), `another tenant's preflight of ${t.writes.create.action} into ${t.containers.primary}${hint}`, h);
      denied(await other.client.actions({ action: t.writes.create.action, payload }), `another tenant's ${t.writes.create.action} into ${t.containers.primary}${hint}`, h);
    }
    const drafts = await listDrafts(ctx, other.appId);
    if (drafts.length) fail(`another tenant's key got ${drafts.length} draft(s) against this tenant`, 'no drafts', drafts.map((d) => `${d.id} ${d.action_type}`).join(', '));
  },
};
