import { ToolError, type CheckContext, type CheckDef, type Exchange } from '../../src/kit/check.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { codeOf, describe, expectSuccess, fail, isRefusal } from '../../src/kit/expect.js';
import { dataOf } from '../../src/kit/clients.js';
import { eventsDuring } from '../audit/trail.js';
import { aimsAtResource, auditFor, auditUntil } from '../../src/kit/helpers.js';
import { agentDraft, createPayload, executePrepared, expectMarkedCount, idemKey, marker, otherWrites, payloadFor, preflight, rejectPending, repeatPrepared, requestCreate, resourceFor, secondKey, tierActions, window } from '../lib-write.js';

export const idem002: CheckDef = {
  id: 'IDEM-002',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Repeating an executed create with the same idempotencyKey answers replayed:true, code agent.idempotency_replay and the original execution id — ' +
    "also from a second key of the same app, since keys are scoped per app — and still exactly one resource exists; the replay leaves an audit event; a draft carries its key, so " +
    "an execute with the key of a draft that was approved replays that approval's execution; another app's identical request is its own; and every other write sample, " +
    'fully prepared and executed under a window of its tier (the high-risk one with require_idempotency false, which does not unbind a key sent), is replayed with its own execution when repeated with its key from another key of the app (or, where the first execution changed its resource, witness or impact, refused without running again: a partial pass), ' +
    "each such replay leaves an audit event, and another app of the tenant sending that key for the same tool gets its own execution (neither this app's replay nor a key-reuse refusal); " +
    'an execute naming a preflightId, repeated with its key from a fresh preflight of the same payload, is replayed too.',
  expectedCodes: ['agent.idempotency_replay', 'agent.preflight_mismatch', 'agent.idempotency_mismatch'],
  async run(ctx) {
    const { action } = ctx.target.writes.create;
    const autoExecute = { writes: window(ctx, [action]) };
    const p = await ctx.persona({ name: 'idem-replay', autoExecute });
    const apps = [p.appId];
    try {
      const mark = marker(ctx);
      const key = idemKey(ctx);
      const first = await requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key });
      const e = expectSuccess<any>(first, 'first execute')?.execution?.id;
      if (typeof e !== 'string') throw new ToolError(`set-up: the first execute did not execute: ${describe(first)} (see AUTOEXEC-002)`);

      const expectReplay = (again: Exchange, what: string, original = e) => {
        const d = expectSuccess<any>(again, what);
        if (d?.replayed !== true || d?.code !== 'agent.idempotency_replay' || d?.status !== 'executed' || d?.execution?.id !== original) {
          fail(`${what} was not answered with the original execution`, `data {status:"executed", replayed:true, code:"agent.idempotency_replay", execution.id:"${original}"}`,
            `${describe(again)} replayed=${JSON.stringify(d?.replayed)} code=${JSON.stringify(d?.code)} execution.id=${JSON.stringify(d?.execution?.id)}`, again);
        }
      };
      // The replay is an allowed operation: it leaves an audit event like any other (§10; agent.action.idempotency_replay).
      const { ex: again, events } = await eventsDuring(ctx, p.appId, () => requestCreate(ctx, p, mark, { execute: true, idempotencyKey: key }));
      expectReplay(again, 'the repeated execute with the same key');
      if (events.length === 0) fail('the replay left no audit event', 'a new audit event of the app for the replayed request', 'no new events', again);
      const { client } = await secondKey(ctx, p);
      expectReplay(await requestCreate(ctx, { ...p, client }, mark, { execute: true, idempotencyKey: key }), 'the same request from a second key of the app');
      await expectMarkedCount(ctx, p, mark, 1, 'a replay ran the write again');

      // §2: a draft "carries … idempotency key": the execution its approval runs is that key's execution, and
      // §7: "a second execute with a key that already has an execution returns that execution".
      const reviewedMark = marker(ctx);
      const reviewedKey = idemKey(ctx);
      const drafted = dataOf(await requestCreate(ctx, p, reviewedMark, { idempotencyKey: reviewedKey }));
      if (drafted?.status !== 'draft' || typeof drafted?.draft?.id !== 'string') throw new ToolError(`set-up: the create without execute did not answer a pending draft (see WRITE-001)`);
      await ctx.admin.approve(drafted.draft.id, `openport-conform ${ctx.checkId}`);
      const approved = (await agentDraft(p, drafted.draft.id, 'the approved draft')).execution;
      if (approved?.status !== 'success' || typeof approved?.id !== 'string') throw new ToolError(`set-up: approving draft ${drafted.draft.id} ran no successful execution (see WRITE-002)`);
      expectReplay(await requestCreate(ctx, p, reviewedMark, { execute: true, idempotencyKey: reviewedKey }), 'an execute with the idempotencyKey of an approved draft', approved.id);
      await expectMarkedCount(ctx, p, reviewedMark, 1, 'an execute with the key of an approved draft ran the write again');

      // §7 "A second execute with a key that already has an execution returns that execution" whichever way the
      // payload arrives: an execute naming a preflightId, repeated with its key from a fresh preflight of the same payload.
      // A server issuing no preflightId (PREFLIGHT-006's finding) leaves this part untried.
      const pfMark = marker(ctx);
      const pfPayload = createPayload(ctx, pfMark);
      const { preflightId } = await preflight(p, action, pfPayload);
      const viaPreflight = { mark: pfMark, payload: pfPayload, preflightId };
      const pfKey = idemKey(ctx);
      const fromPreflight = typeof preflightId === 'string' ? await p.client.actions({ action, preflightId, execute: true, idempotencyKey: pfKey }) : undefined;
      const pfExecution = fromPreflight && dataOf(fromPreflight)?.execution?.id;
      if (!fromPreflight) ctx.partial('the preflight gave no preflightId (PREFLIGHT-006): an execute naming one was not repeated');
      else if (dataOf(fromPreflight)?.status !== 'executed' || typeof pfExecution !== 'string') {
        ctx.partial(`an execute naming a preflightId did not execute (${describe(fromPreflight)}), so its replay was not tried`);
      } else {
        const { preflightId: again } = await preflight(p, action, viaPreflight.payload);
        if (typeof again !== 'string') fail('preflight returned no preflightId', 'data.preflightId', 'none');
        expectReplay(await p.client.actions({ action, preflightId: again, execute: true, idempotencyKey: pfKey }), 'an execute repeated with its idempotencyKey, naming a fresh preflightId of the same payload', pfExecution);
        await expectMarkedCount(ctx, p, viaPreflight.mark, 1, 'an execute naming a preflightId, repeated with its key, ran the write again');
      }

      // The other side of "scoped per app": another app's key is not a repeat and never sees this app's execution.
      const q = await ctx.persona({ name: 'idem-other-app', autoExecute });
      apps.push(q.appId);
      const theirs = await requestCreate(ctx, q, mark, { execute: true, idempotencyKey: key });
      const d = dataOf(theirs);
      if (d?.replayed === true || d?.execution?.id === e) {
        fail("another app's request with the same idempotency key was answered with this app's execution", 'its own execution (keys are scoped per app)', `${describe(theirs)} execution.id=${JSON.stringify(d?.execution?.id)}`, theirs);
      }
      if (d?.status !== 'executed') ctx.note(`another app's request with the same key: ${describe(theirs)}`);

      // Every other write tool replays alike: each sample, fully prepared, executed under a window of its tier
      // allowing it and repeated with the same key (a key of its own: the requests above used much of one key's
      // rate-limit share). The brief does not order the key's lookup before the other checks of a request: where
      // the first execution changed what the repeat is checked against (its resource, its witness, an impact that
      // moved), a refusal that runs nothing again is accepted, as a partial pass.
      const others = otherWrites(ctx);
      // The high-risk tier with require_idempotency false: a key the request carries binds all the same (§7: "a second
      // execute with a key that already has an execution returns that execution"); the flag only drops the demand for one.
      if (others.length) {
        const windows = { writes: window(ctx, [action, ...tierActions(others, false)]), high_risk: { ...window(ctx, tierActions(others, true)), require_idempotency: false } };
        await ctx.admin.setAutoExecute(p.appId, windows);
        await ctx.admin.setAutoExecute(q.appId, windows);
      }
      const w = { ...p, ...(others.length ? await secondKey(ctx, p, 'other tools key') : {}) };
      // Each replay's audit event, judged at the end in one wait: the trail's ids before the repeat, and the execution replayed.
      const replays: { action: string; before: Set<string>; execution: string; ex: Exchange }[] = [];
      for (const sample of others) {
        const { ex: first, body } = await executePrepared(ctx, w, sample.action, payloadFor(sample, await resourceFor(ctx, w, sample), marker(ctx)));
        const once = dataOf(first);
        if (once?.status !== 'executed' || typeof once?.execution?.id !== 'string') {
          ctx.partial(`${sample.action}: the fully prepared execute did not execute (${describe(first)}), so its replay was not tried (AUTOEXEC-002 and -008 judge the windows)`);
          continue;
        }
        // Repeated from the app's first key: keys are scoped per app, whichever of its keys asks (§7).
        const before = new Set((await auditFor(ctx, p.appId)).map((e) => e.id));
        const again = await repeatPrepared(ctx, p, body);
        const twice = dataOf(again);
        const refused = twice?.replayed !== true && (isRefusal(again) || (twice?.status === 'draft' && typeof twice?.autoExecuteDeniedCode === 'string'));
        const checkedFirst = aimsAtResource(sample) || sample.witnessed === true || twice?.autoExecuteDeniedCode === 'agent.preflight_mismatch';
        if (refused && checkedFirst) ctx.partial(`the repeated ${sample.action} was refused before its key was looked up (${describe(again)}): nothing ran again, but the replay itself was not shown`);
        else {
          expectReplay(again, `the repeated ${sample.action} execute with the same key, from another key of the app`, once.execution.id);
          replays.push({ action: sample.action, before, execution: once.execution.id, ex: again });
        }
        // Another app of the tenant sending the same key for the same tool is not a repeat: its own write runs (§7 "scoped per app").
        const theirs = (await executePrepared(ctx, q, sample.action, payloadFor(sample, await resourceFor(ctx, q, sample), marker(ctx)), String(body.idempotencyKey))).ex;
        const t = dataOf(theirs);
        if (t?.replayed === true || t?.execution?.id === once.execution.id) {
          fail(`another app's ${sample.action} with the same idempotency key was answered with this app's execution`, 'its own execution (keys are scoped per app)', `${describe(theirs)} execution.id=${JSON.stringify(t?.execution?.id)}`, theirs);
        }
        // Its own payload differs (its resource, its marker): refused as a re-use of a key it never used, it was judged against this app's request.
        if (codeOf(theirs) === 'agent.idempotency_mismatch' || t?.autoExecuteDeniedCode === 'agent.idempotency_mismatch') {
          fail(`another app's ${sample.action} with the same idempotency key was refused as a re-used key`, "its own execution (keys are scoped per app: the key was never this app's)", describe(theirs), theirs);
        }
        if (t?.status !== 'executed') ctx.note(`another app's ${sample.action} with the same key: ${describe(theirs)}`);
      }
      await expectReplaysAudited(ctx, p.appId, replays);
    } finally {
      await rejectPending(ctx, ...apps);
    }
  },
};

/**
 * Each replay of `replays` left an audit event (§10 lists agent.action.idempotency_replay among the audited
 * operations): an event new since its repeat was sent that carries the replay's code, is named for a replay
 * (its action: the brief's agent.action.idempotency_replay, or another name with "replay" in it) or names the
 * execution replayed. The trail is read once for all of them, so a server that audits no replay costs one wait.
 */
async function expectReplaysAudited(ctx: CheckContext, appId: string, replays: readonly { action: string; before: Set<string>; execution: string; ex: Exchange }[]): Promise<void> {
  if (replays.length === 0) return;
  const recorded = (events: readonly AuditEvent[], r: (typeof replays)[number]) =>
    events.some((e) => !r.before.has(e.id) && (e.code === 'agent.idempotency_replay' || /replay/i.test(String(e.action)) || JSON.stringify(e).includes(r.execution)));
  const events = await auditUntil(ctx, appId, (all) => replays.every((r) => recorded(all, r)));
  const missing = replays.filter((r) => !recorded(events, r));
  if (missing.length > 0) {
    fail(`the replay of ${missing.map((r) => r.action).join(', ')} left no audit event`, 'a new audit event of the app for each replayed request (code agent.idempotency_replay, an action named for a replay, or naming the execution replayed)', `none for ${missing.map((r) => `${r.action} (execution ${r.execution})`).join('; ')}`, missing[0]!.ex);
  }
}
