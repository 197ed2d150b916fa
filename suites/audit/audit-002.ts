import { ToolError, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, everyCase, expectError, isRefusal } from '../../src/kit/expect.js';
import { containerPolicy, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { scopesWithout } from '../env/routes.js';
import { eventsDuring, recordingEvent, shapeProblems } from './trail.js';

export const audit002: CheckDef = {
  id: 'AUDIT-002',
  safety: 'draft',
  needs: ['admin'],
  description: 'A scope denial (of a read, and of a preflight of every write sample the read scopes do not cover), an IP-policy denial, a data-policy (container allow-list) denial and a cross-tenant read each leave a denied audit event carrying the response code (further events are noted).',
  expectedCodes: ['agent.scope_denied', 'agent.policy_denied', 'agent.not_found', 'agent.action_unknown'],
  async run(ctx) {
    const t = ctx.target;
    const route = t.reads[0];
    const { queryParam, primary, secondary, contentsTool } = t.containers;
    const field = t.dataPolicy.containerField;
    const cases: [string, Persona, () => Promise<Exchange>, ReasonCode[]][] = [];
    const noScope = await ctx.persona({ name: 'audit002 no scope', scopes: scopesWithout(t, ...route.scopes) });
    cases.push([`${route.tool} without its scope`, noScope, () => noScope.client.read(route.tool), ['agent.scope_denied']]);
    const ip = await ctx.persona({ name: 'audit002 ip', policy: { network: { allowed_ips: ['203.0.113.7'] } } });
    cases.push([`${route.tool} from outside the IP allowlist`, ip, () => ip.client.read(route.tool), ['agent.policy_denied']]);
    const allowOne = await ctx.persona({ name: 'audit002 container policy', policy: { data: containerPolicy(t, [secondary]) } });
    cases.push([`reading ${primary} with ${field} [${secondary}]`, allowOne, () => allowOne.client.read(contentsTool, { [queryParam]: primary }), ['agent.policy_denied']]);
    const other = await ctx.persona({ name: 'audit002 other tenant', orgId: t.otherOrgId });
    cases.push([`another tenant reading ${primary}`, other, () => other.client.read(contentsTool, { [queryParam]: primary }), ['agent.policy_denied', 'agent.not_found']]);
    // The deny path of every write tool, not one: a key holding only the read scopes preflights each write sample
    // (a key each, so that every case's wait for its event is its own).
    const readScopes = [...new Set(t.reads.flatMap((r) => r.scopes))];
    for (const sample of writeSamples(t)) {
      const missing = sample.scopes.filter((x) => !readScopes.includes(x));
      if (missing.length === 0) {
        ctx.note(`${sample.action} needs only read scopes: no scope denial of it to audit`);
        continue;
      }
      const reader = await ctx.persona({ name: `audit002 reads only ${sample.action}`, scopes: readScopes });
      // A hidden tool may be refused like an unknown one (AUTHZ-002 accepts either).
      cases.push([`preflight ${sample.action} without ${missing.join(', ')}`, reader, () => reader.client.preflight(sample.action, samplePayloadOf(t, sample.payload)), ['agent.scope_denied', 'agent.action_unknown']]);
    }

    // Every denial's audit event is judged, and every missing or wrong one reported (not only the first); each case
    // has a persona of its own, so they run at once and a server that audits no denial costs one wait, not one each.
    const judged = everyCase();
    const seen = await Promise.all(cases.map(async ([what, p, act, codes]) => {
      // Until an event carries a denial's status and one of the codes the case allows (judged below).
      const { ex, events } = await eventsDuring(ctx, p.appId, act, (fresh) => fresh.some((e) => e.app_id === p.appId && (codes as readonly string[]).includes(e.code ?? '') && ['denied', 'failed'].includes(e.status)));
      return { what, p, codes, ex, events };
    }));
    // Judged in the cases' order, so a report lists them the same way every run.
    for (const { what, p, codes, ex, events } of seen) {
      // The denial is this check's set-up; whether the server denies is judged by the AUTHZ, ABAC and TENANT
      // checks. A denial that did not happen is an error here, not a second finding of the same defect.
      if (!isRefusal(ex)) throw new ToolError(`set-up: ${what} was not refused (${describe(ex)}), so there is no denial whose audit event to read; the denial itself is judged by its own requirement`);
      await judged.run(() => {
        const { code } = expectError(ex, codes, what);
        // A missing resource (or a tool answered as unknown) may be logged as a failure rather than a denial; both are fine there.
        const statuses = code === 'agent.not_found' || code === 'agent.action_unknown' ? ['denied', 'failed'] : ['denied'];
        recordingEvent(ctx, events, (e) => {
          const problems = shapeProblems(e);
          if (!statuses.includes(e.status)) problems.push(`status ${e.status}`);
          if (e.code !== code) problems.push(`code ${e.code ?? '(none)'}`);
          if (e.app_id !== p.appId) problems.push(`app_id ${e.app_id}`);
          return problems;
        }, what, `an event {status: ${statuses.join('|')}, code: ${code}, app_id: ${p.appId}}`, ex);
      });
    }
    judged.done();
  },
};
