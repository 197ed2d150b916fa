import { ToolError, type CheckDef } from '../../src/kit/check.js';
import { expectError, expectSuccess, fail } from '../../src/kit/expect.js';
import { auditFor, listDrafts, rejectPending, samplePayloadOf } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { keyFrom } from '../env/routes.js';
import { createPayload, draftCreate, expectMarkedCount, marker, window } from '../lib-write.js';
import { summarize } from '../audit/trail.js';
import { pastTheLimit, type Labelled } from './exhaust.js';

const REFUSED_WRITES = 3;

export const adm002: CheckDef = {
  id: 'ADM-002',
  safety: 'load',
  needs: ['admin'],
  expects429: true,
  description: 'POST actions (execute: true, inside an open writes window) and preflight refused with 429, a draft and a preflight of every other write sample, and polls of a draft (GET /drafts/{id}), create no draft, no execution, no resource and no per-request audit event of any status (one per exhausted window is allowed); ' +
    'the key past its limit, once revoked, is 401 agent.token_invalid on the next request (the key is checked before the limit).',
  expectedCodes: ['agent.rate_limited', 'agent.token_invalid'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const payload = samplePayloadOf(ctx.target, ctx.target.writes.create.payload);
    // An open writes window: a refused execute:true that ran anyway would leave an execution and its resource.
    const p = await ctx.persona({ name: 'adm002 side effects', autoExecute: { writes: window(ctx, [action]) } });
    // The writes past the limit draft on the target's own resources if a server lets them through: rejected at the end.
    try {
      // One mark per request: a request admitted because the window rolled over may execute; only those refused are judged.
      let marks: string[] = [];
      let draftsBefore = 0;
      let auditBefore: readonly AuditEvent[] = [];
      // A draft of the app's, polled past the limit: a refused GET /drafts/{id} is a refused request like any other (§9).
      const polled = await draftCreate(ctx, p, marker(ctx));
      const sent = await pastTheLimit(ctx, { own: p }, async () => {
        // Snapshot after the first 429 (a server may log one event per exhausted window; only a per-request event is a finding).
        const [drafts, audit] = await Promise.all([listDrafts(ctx, p.appId), auditFor(ctx, p.appId)]);
        draftsBefore = drafts.length;
        auditBefore = audit;
        marks = Array.from({ length: REFUSED_WRITES }, () => marker(ctx));
        // All at once, so that on a slow link they still reach the server inside the window the 429 proved full.
        const writes = marks.flatMap((mark) => [
          (async (): Promise<Labelled> => [`POST actions ${action} (execute: true) past the limit`, await p.client.actions({ action, payload: createPayload(ctx, mark), execute: true })])(),
          (async (): Promise<Labelled> => [`POST preflight ${action} past the limit`, await p.client.preflight(action, payload)])(),
        ]);
        // Every other write tool too: a draft of any of them would be a side effect the count below sees.
        const others = writeSamples(ctx.target).filter((s) => s.action !== action).flatMap((s) => {
          const body = samplePayloadOf(ctx.target, s.payload);
          return [
            (async (): Promise<Labelled> => [`POST actions ${s.action} past the limit`, await p.client.actions({ action: s.action, payload: body })])(),
            (async (): Promise<Labelled> => [`POST preflight ${s.action} past the limit`, await p.client.preflight(s.action, body)])(),
          ];
        });
        const polls = Array.from({ length: REFUSED_WRITES }, async (): Promise<Labelled> => [`GET drafts/${polled} past the limit`, await p.client.draft(polled)]);
        return Promise.all([...writes, ...others, ...polls]);
      });
      for (const [what, ex] of sent) expectError(ex, 'agent.rate_limited', what);
      const refused = sent[0][1];
      const draftsAfter = (await listDrafts(ctx, p.appId)).length;
      if (draftsAfter !== draftsBefore) fail(`${draftsAfter - draftsBefore} draft(s) created by POST actions refused with 429`, `${draftsBefore} drafts (unchanged)`, `${draftsAfter} drafts`, refused);
      // New events are told by id, not by count: a server whose audit listing is a window of the newest events of
      // every app (the brief gives GET /audit no query) lets this app's older events slide out while other
      // apps are busy, which a count would read as a change.
      const auditAfter = await auditFor(ctx, p.appId);
      const idOf = (e: unknown) => (e !== null && typeof e === 'object' ? (e as { id?: unknown }).id : undefined);
      const seen = new Set(auditBefore.map(idOf));
      // The brief forbids a *per-request* event (§9): one per exhausted window is allowed, and so are events of the
      // burst's admitted requests that an asynchronous sink makes readable only now. So the new events of the refused
      // requests are counted, and only as many as the refused requests (or more) is one per request. Such an event
      // records a refusal, or has (whatever its status) an action none of the app's events before had (the burst's
      // requests and the app's set-up): the refused writes are the only requests of another kind since, so it is
      // theirs however it is labelled (a refusal recorded as a success is still a per-request event).
      const byId = auditAfter.every((e) => idOf(e) !== undefined);
      const fresh = byId ? auditAfter.filter((e) => !seen.has(idOf(e))) : [];
      const earlier = new Set(auditBefore.map((e) => e.action));
      const refusals = byId
        ? fresh.filter((e) => e.code === 'agent.rate_limited' || e.status === 'denied' || !earlier.has(e.action)).length
        : Math.max(0, auditAfter.length - auditBefore.length);
      // Counted against the writes and preflights refused (the polls are judged on their own below), as before they were sent too.
      const judgedWrites = sent.length - REFUSED_WRITES;
      if (refusals >= judgedWrites) fail(`${refusals} audit event(s) written for ${judgedWrites} write and preflight requests refused with 429: one per refused request`, `no per-request event (${auditBefore.length} before)`, `${refusals} new event(s) of refusals or of the refused requests' actions${byId ? ` (${[...new Set(fresh.map((e) => `${e.action} ${e.status}`))].slice(0, 4).join(', ')})` : ''}`, refused);
      // Per route as well: the refused polls of one draft, REFUSED_WRITES of them, each leaving an event that names it.
      const ofPolls = fresh.filter((e) => e.draft_id === polled);
      if (ofPolls.length >= REFUSED_WRITES) fail(`${ofPolls.length} audit event(s) name draft ${polled}, whose ${REFUSED_WRITES} polls were refused with 429: one per refused request`, 'no per-request event of a refused poll', summarize(ofPolls), sent.find(([what]) => what.startsWith('GET drafts'))?.[1] ?? refused);
      if (refusals > 0) ctx.note(`${refusals} event(s) of refusals for ${sent.length} requests refused with 429: not one per request, which the brief allows (one per exhausted window, say)`);
      const carries = (v: unknown) => marks.some((m) => JSON.stringify(v ?? null).includes(m));
      const ran = (await listDrafts(ctx, p.appId)).filter((d) => carries(d.payload) && (d.status === 'confirmed' || d.status === 'failed' || (d as { execution?: unknown }).execution));
      if (ran.length) fail(`${ran.length} POST actions (execute: true) refused with 429 ran`, 'no execution', ran.map((d) => `${d.id} ${d.status}`).join(', '), refused);
      // After the audit trail was read: issuing the reader's key below is an audited change of the app.
      // The adapter call itself: the resource a refused write names must not exist. Read with a second key of
      // the app, as the first one is past its limit.
      const second = keyFrom(await ctx.admin.createKey(p.appId, { name: 'adm002 reader' }));
      if (!second) throw new ToolError('admin plane did not return the key and token of POST /apps/{id}/keys');
      for (const mark of marks) await expectMarkedCount(ctx, { ...p, client: ctx.client(second.token) }, mark, 0, 'POST actions refused with 429 must not reach the tool');
      // §6 checks the key (2) before the limit (7): the key past its limit, once revoked, is refused as revoked on
      // the very next request, whether or not its window is still full.
      expectSuccess(await ctx.admin.revokeKey(p.keyId), `revoke of the key past its limit (${p.keyId})`);
      expectError(await p.client.manifest(), 'agent.token_invalid', 'GET manifest with the key past its limit, right after it was revoked (§6: step 2 before step 7)');
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};
