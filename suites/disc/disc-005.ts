import type { CheckDef } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';

/**
 * The app a manifest describes must be the app the key belongs to: a server that answers as another app
 * (another id, tenant or scope) tells the agent it acts for someone it does not, and every tenant or scope
 * decision the agent makes from it is wrong.
 */
export const disc005: CheckDef = {
  id: 'DISC-005',
  safety: 'read-only',
  needs: ['admin'],
  description: "A key created through the admin plane reads its manifest: data.app's id, orgId and scope are those of the app the admin plane created for it.",
  async run(ctx) {
    const p = await ctx.persona({ name: 'disc005 identity' });
    const created = (p.raw as { app?: { id?: unknown; org_id?: unknown; scope?: unknown } } | undefined)?.app ?? {};
    // What the admin plane said it created; the request's values where its answer leaves a field out.
    const want = {
      id: p.appId,
      orgId: typeof created.org_id === 'string' ? created.org_id : p.orgId,
      scope: typeof created.scope === 'string' ? created.scope : 'workspace',
    };
    const ex = await p.client.manifest();
    const data = expectSuccess<{ app?: Record<string, unknown> }>(ex, 'GET manifest');
    const app = data?.app ?? {};
    const wrong = (Object.keys(want) as (keyof typeof want)[]).filter((k) => app[k] !== want[k]);
    if (wrong.length) {
      fail(`the manifest describes another app than the key's (${wrong.join(', ')})`,
        `data.app {id: ${want.id}, orgId: ${want.orgId}, scope: ${want.scope}}`,
        `data.app {${wrong.map((k) => `${k}: ${JSON.stringify(app[k]) ?? 'absent'}`).join(', ')}}`, ex);
    }
    ctx.note(`manifest app ${want.id} in ${want.orgId} (${want.scope}) matches the admin plane's app`);
  },
};
