import { Skip, type AgentClient, type CheckContext, type CheckDef, type CreatedApp } from '../../src/kit/check.js';
import { itemsOf } from '../../src/kit/clients.js';
import { MAX_PAGES, personalApp } from '../../src/kit/helpers.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { ADMIN_BASE } from '../../src/protocol/types.js';

/**
 * The app a manifest describes must be the app the key belongs to: a server that answers as another app
 * (another id, tenant or scope) tells the agent it acts for someone it does not, and every tenant or scope
 * decision the agent makes from it is wrong.
 */
export const disc005: CheckDef = {
  id: 'DISC-005',
  safety: 'read-only',
  // A token too: at --safety read-only it is the run's (from draft on, the persona's; the run mints one if none).
  needs: ['admin', 'token'],
  description:
    "Keys created through the admin plane read their manifests: data.app's id, orgId and scope are those of the app the admin plane created for each, " +
    'a workspace app and a personal app alike. ' +
    "At --safety read-only, which creates nothing: the run token's manifest against the admin plane's record of the app it names (GET /apps).",
  async run(ctx) {
    if (!ctx.provisions) return againstListing(ctx);
    const p = await ctx.persona({ name: 'disc005 identity' });
    const compared = await expectIdentity(p, p.client, 'GET manifest');
    // A personal app acts as its user (§2): its manifest says so, not the workspace default.
    const personal = await personalApp(ctx, 'disc005', [...ctx.target.scopes], "a personal app's manifest was not compared");
    const comparedPersonal = personal ? await expectIdentity(personal.app, ctx.client(personal.app.token), 'GET manifest of a personal app') : compared;
    const unstated = ['orgId', 'scope'].filter((k) => !compared.includes(k) || !comparedPersonal.includes(k));
    if (unstated.length) ctx.partial(`the admin plane's answer to POST /apps left out ${unstated.join(' and ')} (org_id, scope): the manifests' ${unstated.join(' and ')} had nothing to be compared with`);
    ctx.note(`manifests of a workspace app (${p.appId})${personal ? ` and a personal app (${personal.app.appId})` : ''} match what the admin plane says of them (${[...new Set([...compared, ...comparedPersonal])].join(', ')})`);
  },
};

/**
 * The manifest `client` reads describes `created`, the app the admin plane made: its id, and its tenant and scope
 * as far as the admin plane's answer states them (a member it leaves out is no claim to compare with; one it
 * states as null, an app held in no tenant, is). Returns the members compared.
 */
async function expectIdentity(created: CreatedApp, client: AgentClient, what: string): Promise<string[]> {
  const made: Record<string, unknown> = (created.raw as { app?: Record<string, unknown> } | undefined)?.app ?? {};
  const want: Record<string, unknown> = {
    id: created.appId,
    ...('org_id' in made ? { orgId: made.org_id } : {}),
    ...('scope' in made ? { scope: made.scope } : {}),
  };
  const ex = await client.manifest();
  const app = expectSuccess<{ app?: Record<string, unknown> }>(ex, what)?.app ?? {};
  const wrong = Object.keys(want).filter((k) => app[k] !== want[k]);
  if (wrong.length) {
    fail(`${what}: the manifest describes another app than the key's (${wrong.join(', ')})`,
      `data.app {${Object.entries(want).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}}`,
      `data.app {${wrong.map((k) => `${k}: ${JSON.stringify(app[k]) ?? 'absent'}`).join(', ')}}`, ex);
  }
  return Object.keys(want);
}

/**
 * Read only: the run token's manifest names an app; the admin plane's listing holds that app with a tenant and a
 * scope, which the manifest must repeat. That the named app is the key's own needs a key the run creates.
 */
async function againstListing(ctx: CheckContext): Promise<void> {
  const ex = await ctx.agent.manifest();
  const app = expectSuccess<{ app?: Record<string, unknown> }>(ex, 'GET manifest')?.app ?? {};
  if (typeof app.id !== 'string') fail('the manifest names no app', 'data.app.id, the id of the key\'s app', `data.app.id ${JSON.stringify(app.id) ?? 'absent'}`, ex);
  // The listing's pages (data.nextCursor), a bounded number; kept whole in the journal, the page it is found on
  // being this check's evidence.
  let held: { org_id?: unknown; scope?: unknown } | undefined;
  let cursor: string | undefined;
  let pages = 0;
  while (held === undefined && pages < MAX_PAGES) {
    pages++;
    const listing = await ctx.admin.request({ method: 'GET', path: `${ADMIN_BASE}/apps${cursor === undefined ? '' : `?cursor=${encodeURIComponent(cursor)}`}` });
    const items = itemsOf(listing) ?? [];
    held = items.find((a) => (a as { id?: unknown } | null)?.id === app.id) as typeof held;
    const next = (listing.response.json as { data?: { nextCursor?: unknown } } | undefined)?.data?.nextCursor;
    if (typeof next !== 'string' || next === cursor || items.length === 0) break;
    cursor = next;
  }
  if (held === undefined) {
    throw new Skip(`the admin plane's listing (GET /apps, ${pages} page${pages === 1 ? '' : 's'}) holds no app ${JSON.stringify(app.id.slice(0, 60))}, the one the run token's manifest names: nothing to compare it with`, '--safety draft');
  }
  // Only what the admin plane states is compared.
  const want: Record<string, unknown> = {
    ...(typeof held.org_id === 'string' ? { orgId: held.org_id } : {}),
    ...(typeof held.scope === 'string' ? { scope: held.scope } : {}),
  };
  if (Object.keys(want).length === 0) throw new Skip(`the admin plane's record of app ${app.id.slice(0, 60)} states neither its tenant (org_id) nor its scope: nothing to compare the manifest with`, '--safety draft');
  const wrong = Object.keys(want).filter((k) => app[k] !== want[k]);
  if (wrong.length) {
    fail(`the manifest describes app ${app.id.slice(0, 60)} otherwise than the admin plane holds it (${wrong.join(', ')})`,
      `data.app {${Object.entries(want).map(([k, v]) => `${k}: ${String(v)}`).join(', ')}}`,
      `data.app {${wrong.map((k) => `${k}: ${JSON.stringify(app[k]) ?? 'absent'}`).join(', ')}}`, ex);
  }
  ctx.partial('--safety read-only: the manifest was compared with the admin plane\'s record of the app it names; that this app is the key\'s own needs a key the run creates (--safety draft)');
  ctx.note(`manifest app ${app.id.slice(0, 60)}: ${Object.keys(want).join(' and ')} as the admin plane holds it`);
}
