import { ToolError, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { describe, everyCase, expectError, fail, isRefusal } from '../../src/kit/expect.js';
import { rangeReader } from '../abac/abac-004.js';
import { aimsAtTenantData, auditFor, auditUntil, containerPolicy, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../../src/kit/target.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import { scopesWithout } from '../env/routes.js';
import { eventsDuring, recordingEvent, requestFieldProblems, shapeProblems, summarize } from './trail.js';
import type { AuditEvent } from '../../src/protocol/types.js';

export const audit002: CheckDef = {
  id: 'AUDIT-002',
  safety: 'draft',
  needs: ['admin'],
  description: 'A scope denial (of a read, and of a preflight and a draft request of POST /actions of every write sample the read scopes do not cover), an IP-policy denial (of a read and of the manifest), a data-policy denial (the container allow-list, and a date range wider than max_days) and a cross-tenant request (of a read, and of a preflight of every write sample aimed at the tenant\'s data) each leave a denied audit event carrying the response code, the app and key, the actor, the client\'s ip and the user agent sent (further events are noted).',
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
    const ipManifest = await ctx.persona({ name: 'audit002 ip manifest', policy: { network: { allowed_ips: ['203.0.113.7'] } } });
    cases.push(['the manifest from outside the IP allowlist', ipManifest, () => ipManifest.client.manifest(), ['agent.policy_denied']]);
    const allowOne = await ctx.persona({ name: 'audit002 container policy', policy: { data: containerPolicy(t, [secondary]) } });
    cases.push([`reading ${primary} with ${field} [${secondary}]`, allowOne, () => allowOne.client.read(contentsTool, { [queryParam]: primary }), ['agent.policy_denied']]);
    // The data policy's other denial: a date range wider than max_days (dates as ABAC-004 sends them).
    const windowed = await ctx.persona({ name: 'audit002 max_days', policy: { data: { max_days: 30 } } });
    cases.push([`${t.dateRange.tool} over 90 days with max_days 30`, windowed, () => rangeReader(ctx, windowed.client).range(-90, 0), ['agent.policy_denied']]);
    const other = await ctx.persona({ name: 'audit002 other tenant', orgId: t.otherOrgId });
    cases.push([`another tenant reading ${primary}`, other, () => other.client.read(contentsTool, { [queryParam]: primary }), ['agent.policy_denied', 'agent.not_found']]);
    // The deny path of every write tool, not one: a key holding only the read scopes preflights each write
    // sample, and its trail is read once for all of them (a server whose listing ignores the app filter
    // answers every read with its whole log; one read per sample would fill the run's in-memory evidence).
    const readScopes = [...new Set(t.reads.flatMap((r) => r.scopes))];
    const denied = writeSamples(t).filter((sample) => {
      const needsOnlyReads = sample.scopes.every((x) => readScopes.includes(x));
      if (needsOnlyReads) ctx.note(`${sample.action} needs only read scopes: no scope denial of it to audit`);
      return !needsOnlyReads;
    });
    // The same samples' scope denials, and the policy and tenant denials of every sample aimed at the tenant's data
    // (its container or a resource in it).
    const writeJobs: (() => Promise<void>)[] = [];
    if (denied.length > 0) {
      const reader = await ctx.persona({ name: 'audit002 reads only', scopes: readScopes });
      writeJobs.push(() => writeDenials(ctx, reader, denied, ['agent.scope_denied', 'agent.action_unknown'], (s) => `without ${s.scopes.filter((x) => !readScopes.includes(x)).join(', ')}`, 'scope', true));
    }
    const aimed = writeSamples(t).filter((s) => aimsAtTenantData(t, s));
    if (aimed.length > 0) {
      const allowOther = await ctx.persona({ name: 'audit002 container policy writes', policy: { data: containerPolicy(t, [secondary]) } });
      writeJobs.push(() => writeDenials(ctx, allowOther, aimed, ['agent.policy_denied'], () => `with ${field} [${secondary}]`, 'data-policy'));
      const outsider = await ctx.persona({ name: 'audit002 other tenant writes', orgId: t.otherOrgId });
      writeJobs.push(() => writeDenials(ctx, outsider, aimed, ['agent.policy_denied', 'agent.not_found'], () => 'from another tenant', 'cross-tenant'));
    }
    // Every denial's audit event is judged, and every missing or wrong one reported (not only the first). Each case
    // and each write denial has a persona of its own, so they all run at once: a server that audits no denial costs
    // one wait for its events, not one each.
    const judged = everyCase();
    const [seen, writes] = await Promise.all([
      Promise.all(cases.map(async ([what, p, act, codes]) => {
        // Until an event carries a denial's status and one of the codes the case allows (judged below).
        const { ex, events } = await eventsDuring(ctx, p.appId, act, (fresh) => fresh.some((e) => e.app_id === p.appId && (codes as readonly string[]).includes(e.code ?? '') && ['denied', 'failed'].includes(e.status)));
        return { what, p, codes, ex, events };
      })),
      Promise.allSettled(writeJobs.map((job) => job())),
    ]);
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
          // The key was recognised and its actor resolved before each of these denials (§6 steps 2–5): the event names them.
          if (e.key_id !== p.keyId) problems.push(`key_id ${e.key_id} ≠ ${p.keyId}`);
          problems.push(...requestFieldProblems(ctx, e, ex, false));
          return problems;
        }, what, `an event {status: ${statuses.join('|')}, code: ${code}, app_id: ${p.appId}, key_id: ${p.keyId}, actor_user_id, ip, user_agent}`, ex);
      });
    }
    // Then the write denials, in the order they were set up.
    for (const w of writes) {
      await judged.run(() => {
        if (w.status === 'rejected') throw w.reason;
      });
    }
    judged.done();
  },
};

/**
 * Each write sample preflighted (and, `viaActions`, requested as a draft) by `reader`, which may not (a key without its scopes, where a hidden tool may be
 * refused like an unknown one, as AUTHZ-002 accepts; a data policy; another tenant): as many denial events
 * carrying the answers' codes as requests, the trail read at once.
 */
async function writeDenials(ctx: CheckContext, reader: Persona, samples: readonly WriteSample[], codes: ReasonCode[], why: (s: WriteSample) => string, kind: string, viaActions = false): Promise<void> {
  const before = new Set((await auditFor(ctx, reader.appId)).map((e) => e.id));
  const sent: { what: string; ex: Exchange; code: string }[] = [];
  for (const sample of samples) {
    const payload = samplePayloadOf(ctx.target, sample.payload);
    // The preflight, and (`viaActions`) the draft request of POST /actions too: each route's denial is audited (§10).
    const requests: [string, () => Promise<Exchange>][] = [[`preflight ${sample.action} ${why(sample)}`, () => reader.client.preflight(sample.action, payload)]];
    if (viaActions) requests.push([`POST actions ${sample.action} ${why(sample)}`, () => reader.client.actions({ action: sample.action, payload })]);
    for (const [what, send] of requests) {
      const ex = await send();
      // Whether the server denies is AUTHZ-002's, ABAC-003's and TENANT-003's subject: here only the denials it made are audited.
      if (!isRefusal(ex)) ctx.partial(`${what} was not refused (${describe(ex)}): no denial of it to audit`);
      else sent.push({ what, ex, code: expectError(ex, codes, what).code });
    }
  }
  if (sent.length === 0) return;
  const recording = (e: AuditEvent) => e.app_id === reader.appId && e.key_id === reader.keyId && ['denied', 'failed'].includes(e.status) && sent.some((x) => x.code === e.code)
    && shapeProblems(e).length === 0 && requestFieldProblems(ctx, e, sent[0]!.ex, false).length === 0;
  const fresh = (await auditUntil(ctx, reader.appId, (all) => all.filter((e) => !before.has(e.id) && recording(e)).length >= sent.length)).filter((e) => !before.has(e.id));
  const missing = sent.filter((x) => fresh.filter((e) => recording(e) && e.code === x.code).length < sent.filter((y) => y.code === x.code).length);
  if (missing.length > 0) {
    fail(`${fresh.filter(recording).length} audit event(s) record the ${sent.length} ${kind} denials of write samples (${sent.map((x) => x.what).join('; ')})`,
      `a denied event with the reason code for each (status denied, code ${[...new Set(sent.map((x) => x.code))].join('|')}, app_id ${reader.appId}, key_id ${reader.keyId}, actor_user_id, ip, user_agent)`, summarize(fresh), missing[0]!.ex);
  }
}
