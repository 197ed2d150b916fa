import type { CheckDef, Exchange } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectError, expectSuccess, fail, isRefusal } from '../../src/kit/expect.js';
import { expectNoMarkers } from '../env/routes.js';
import { containerPolicy } from '../../src/kit/helpers.js';

/** Listed containers read back by TENANT-001, at most. */
const MAX_LISTED = 20;

/** The `id` of each item of a listing's first array (data.items, or the first array member of data). */
function idsListed(ex: Exchange): string[] {
  const data = dataOf(ex) as Record<string, unknown> | undefined;
  const items = Array.isArray(data?.items) ? data.items : Object.values(data ?? {}).find(Array.isArray);
  return (items ?? []).map((it: unknown) => (it as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
}

export const tenant001: CheckDef = {
  id: 'TENANT-001',
  safety: 'draft',
  needs: ['admin'],
  description:
    "A key of another tenant is denied the tenant's containers on target.containers.contentsTool (403 policy_denied or 404 not_found, no data; on page 2 too, and when its app's container allow-list target.dataPolicy.containerField names them) and, when the target has a container listing (listTool), does not see them listed, nor the tenant's key the other tenant's (each container the tenant's listing shows is one its key may read); a container that does not exist is 404 not_found (or a 400 validation refusal of its id) for the tenant's own key.",
  expectedCodes: ['agent.policy_denied', 'agent.not_found', 'common.validation'],
  async run(ctx) {
    const t = ctx.target;
    const { queryParam, primary, secondary, contentsTool, listTool } = t.containers;
    const own = await ctx.persona({ name: 'tenant001 own' });
    const other = await ctx.persona({ name: 'tenant001 other', orgId: t.otherOrgId });
    for (const c of [primary, secondary]) {
      expectSuccess(await own.client.read(contentsTool, { [queryParam]: c }), `positive control: the tenant's own key reads ${c}`);
      const ex = await other.client.read(contentsTool, { [queryParam]: c });
      const what = `another tenant's key reading ${c}`;
      expectError(ex, ['agent.policy_denied', 'agent.not_found'], what);
      expectNoMarkers(ex, t.existingResourceMarkers, what);
      // The boundary holds on every page, not only the first one (a validator refusing the page is a refusal too).
      // Paged as target.readBack pages (page); any refusal will do there, a validator's of the parameter too.
      const later = await other.client.read(contentsTool, { [queryParam]: c, page: 2, pageSize: 1 });
      const status = later.response.status;
      if (status === 429 || status >= 500) ctx.partial(`${what}, page 2, answered ${describe(later)}: neither a refusal of the tenant nor its data, not judged`);
      else if (!isRefusal(later)) fail(`${what}, page 2, was not refused`, 'a refusal (403 policy_denied, 404, or a validation refusal)', describe(later), later);
      expectNoMarkers(later, t.existingResourceMarkers, `${what}, page 2`);
    }
    // The tenant boundary is not the data policy: another tenant's app whose container allow-list names this
    // tenant's containers is refused them all the same. A server may refuse to store such a policy; then
    // there is nothing to probe.
    const listing = await ctx.persona({ name: 'tenant001 other allow-listing', orgId: t.otherOrgId });
    const set = await ctx.admin.setPolicy(listing.appId, { data: containerPolicy(t, [primary, secondary]) });
    if (isRefusal(set)) ctx.note(`the server refused another tenant's app a ${t.dataPolicy.containerField} naming this tenant's containers (${describe(set)})`);
    else {
      for (const c of [primary, secondary]) {
        const ex = await listing.client.read(contentsTool, { [queryParam]: c });
        const what = `another tenant's key reading ${c}, its app's ${t.dataPolicy.containerField} [${primary}, ${secondary}]`;
        expectError(ex, ['agent.policy_denied', 'agent.not_found'], what);
        expectNoMarkers(ex, t.existingResourceMarkers, what);
      }
    }
    // §6 checks that the resource exists (404 not_found) before its tenant: a container that does not exist is
    // neither empty nor someone else's. A validator refusing the made-up id's form (400) also refuses it.
    const missing = `${primary}-conform-missing`;
    expectError(await own.client.read(contentsTool, { [queryParam]: missing }), ['agent.not_found', 'common.validation'], `the tenant's own key reading ${missing}, a container that does not exist`);
    if (!listTool) return void ctx.partial('the target has no container listing (containers.listTool): only the container reads were probed');
    const ownList = await own.client.read(listTool);
    expectSuccess(ownList, `positive control: the tenant's own ${listTool}`);
    if (!ownList.response.text.includes(JSON.stringify(primary))) {
      fail(`positive control: the tenant's own ${listTool} does not include ${primary}`, `${primary} listed`, ownList.response.text.slice(0, 200), ownList);
    }
    const list = await other.client.read(listTool);
    for (const c of [primary, secondary]) {
      if (list.response.text.includes(JSON.stringify(c))) fail(`another tenant's ${listTool} includes ${c}`, `neither ${primary} nor ${secondary} listed`, list.response.text.slice(0, 300), list);
    }
    expectNoMarkers(list, t.existingResourceMarkers, `another tenant's ${listTool}`);
    // And the other way round: the tenant's own listing shows none of the containers the other tenant's lists,
    // and every container it shows is one the tenant's own key (no data policy) may read.
    const foreign = idsListed(list);
    const leaked = foreign.filter((id) => ownList.response.text.includes(JSON.stringify(id)));
    if (leaked.length) fail(`the tenant's own ${listTool} includes another tenant's container(s) ${leaked.join(', ')}`, `only the tenant's own containers (not ${foreign.join(', ')})`, ownList.response.text.slice(0, 300), ownList);
    for (const id of idsListed(ownList).slice(0, MAX_LISTED)) {
      const ex = await own.client.read(contentsTool, { [queryParam]: id });
      if (isRefusal(ex)) fail(`the tenant's own ${listTool} lists ${id}, which its own key is refused (another tenant's container, listed)`, `only containers the key may read listed`, describe(ex), ex);
    }
  },
};
