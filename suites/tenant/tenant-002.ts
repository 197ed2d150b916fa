import type { CheckDef } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { expectNoMarkers, markersIn } from '../env/routes.js';
import { AGENT_BASE } from '../../src/protocol/types.js';
import { writeSamples } from '../../src/kit/target.js';
import { aimsAtResource, samplePayloadOf } from '../../src/kit/helpers.js';
import { secondKey } from '../lib-write.js';

const DENIED: ReasonCode[] = ['agent.policy_denied', 'agent.not_found'];
/** A query hint is an unknown parameter to a strict validator: a validation refusal also denies it. */
const HINT_REFUSED: ReasonCode = 'common.validation';

type Hint = [label: string, query: Record<string, string>, headers: Record<string, string>, codes: ReasonCode[]];
/** A tenant hint on a write: a member beside action and payload, or a header. */
type WriteHint = [label: string, member: Record<string, string>, headers: Record<string, string>];

export const tenant002: CheckDef = {
  id: 'TENANT-002',
  safety: 'draft',
  needs: ['admin'],
  description: "Another tenant's key naming this tenant in the query (orgId, org_id, tenantId) or headers (x-org-id, x-tenant-id, x-organization-id) is still denied its reads; its preflights of every write sample aimed at the tenant's resource, with the headers x-org-id or x-tenant-id or the body members orgId or org_id, disclose none of the resource's data.",
  expectedCodes: [...DENIED, HINT_REFUSED],
  async run(ctx) {
    const t = ctx.target;
    const { queryParam, primary, secondary, contentsTool, listTool } = t.containers;
    const own = await ctx.persona({ name: 'tenant002 own' });
    const other = await ctx.persona({ name: 'tenant002 other', orgId: t.otherOrgId });
    // Positive controls: without them a route the server does not have (404) would pass as a denial.
    expectSuccess(await own.client.read(contentsTool, { [queryParam]: primary }), `positive control: the tenant's own key reads ${primary}`);
    if (listTool) expectSuccess(await own.client.read(listTool), `positive control: the tenant's own ${listTool}`);
    const hints: Hint[] = [
      ...['orgId', 'org_id', 'tenantId'].map((q): Hint => [`?${q}=`, { [q]: t.orgId }, {}, [...DENIED, HINT_REFUSED]]),
      ...['x-org-id', 'x-tenant-id', 'x-organization-id'].map((h): Hint => [`header ${h}`, {}, { [h]: t.orgId }, DENIED]),
    ];
    for (const [label, query, headers, codes] of hints) {
      const read = await other.client.read(contentsTool, { [queryParam]: primary, ...query }, headers);
      const what = `another tenant's key reading ${primary} with tenant hint ${label}`;
      expectError(read, codes, what);
      expectNoMarkers(read, t.existingResourceMarkers, what);
      if (!listTool) continue;
      const list = await other.client.read(listTool, query, headers);
      for (const c of [primary, secondary]) {
        if (list.response.text.includes(JSON.stringify(c))) fail(`another tenant's ${listTool} with tenant hint ${label} includes ${c}`, 'the tenant\'s containers not listed', list.response.text.slice(0, 300), list);
      }
    }
    // The write routes alike: a preflight of each write sample aimed at the tenant's resource, with a tenant header or
    // a tenant member in the body beside action and payload, discloses none of the resource's data (raw HTTP
    // requests: the MCP binding carries neither; whether it is refused is TENANT-003's to judge). Two header names
    // and two member names per sample, from a second key of the app: the reads above used much of one key's share
    // of the rate limit.
    if (ctx.binding !== 'http') return;
    const writeHints: WriteHint[] = [
      ...['x-org-id', 'x-tenant-id'].map((h): WriteHint => [`header ${h}`, {}, { [h]: t.orgId }]),
      ...['orgId', 'org_id'].map((k): WriteHint => [`body member ${k}`, { [k]: t.orgId }, {}]),
    ];
    const { client } = await secondKey(ctx, other, 'tenant hints on writes');
    const disclosing: string[] = [];
    for (const sample of writeSamples(t).filter((x) => aimsAtResource(x))) {
      const payload = samplePayloadOf(t, sample.payload);
      // The same preflight without a hint first: a server whose preflight discloses the foreign row anyway fails
      // TENANT-003, and the hints are not what this check would be judging.
      const plain = await client.preflight(sample.action, payload);
      if (markersIn(plain, t.existingResourceMarkers).length > 0) {
        disclosing.push(sample.action);
        continue;
      }
      for (const [label, member, headers] of writeHints) {
        const ex = await client.request({ method: 'POST', path: `${AGENT_BASE}/preflight`, headers, body: { action: sample.action, payload, ...member } });
        expectNoMarkers(ex, t.existingResourceMarkers, `another tenant's key preflighting ${sample.action} on ${t.existingResourceId} with tenant hint ${label}`);
      }
    }
    if (disclosing.length) ctx.partial(`tenant hints on writes not judged for ${disclosing.join(', ')}: another tenant's preflight discloses the resource without a hint too (TENANT-003's finding)`);
  },
};
