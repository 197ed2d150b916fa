import type { AuditEvent } from '../../src/protocol/types.js';
import { ToolError, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { describe, expectError, fail, findLeaks } from '../../src/kit/expect.js';
import { auditUntil, listDrafts } from '../../src/kit/helpers.js';
import type { WriteSample } from '../../src/kit/target.js';
import { agentDraft, resourceFor, draftWrite, idemKey, marker, payloadFor, rejectPending, window } from '../lib-write.js';

/**
 * The failure path (§2: "Draft … failed (execution error)"; "Execution … status success|failed; result or
 * error"; §5: "agent.execution_failed (sanitised adapter failure)"; §7: a key that already has an execution
 * returns it; §10: audit events across fail paths). The
 * target's `writes.failing` names a write its tool accepts as a draft and refuses when it runs. The answer
 * to the approval or the execute request itself is left to the server (the brief fixes none); what the
 * draft, its execution, the audit trail and a repeated key show afterwards is judged.
 */
export const write007: CheckDef = {
  id: 'WRITE-007',
  safety: 'execute',
  needs: ['admin'],
  description:
    "An execution that fails (the target's writes.failing, approved and, for a low/medium tool, auto-executed) leaves its draft failed and final (approve and reject are " +
    '400 agent.draft_already_final), an execution with status failed and a sanitised error (no stack trace, file path, SQL or secret, in it or in the answer to the approval or execute), ' +
    'an audit event with status failed and a reason code, and a repeated idempotencyKey replays that execution and runs nothing.',
  expectedCodes: ['agent.draft_already_final'],
  async run(ctx) {
    const sample = ctx.target.writes.failing;
    if (!sample) return ctx.partial('the target names no writes.failing: no execution was made to fail');
    const p = await ctx.persona({ name: 'write-failing' });
    const note = `openport-conform ${ctx.checkId}`;
    try {
      const resource = await resourceFor(ctx, p, sample);
      const payload = () => payloadFor(sample, resource, marker(ctx));

      // Reviewed: approval runs it, and it fails.
      const id = await draftWrite(p, sample.action, payload());
      const ap = await ctx.admin.approve(id, note);
      if (dataOf(ap)?.execution?.status === 'success') throw new ToolError(`writes.failing (${sample.action}) executed successfully on approval (${describe(ap)}): name a write the tool refuses when it executes`);
      expectSanitised(ctx, ap.response.text, 'the answer to the approval whose execution failed', ap);
      const failed = await expectFailed(ctx, p, id, 'the approved draft whose execution failed');
      expectError(await ctx.admin.approve(id, note), 'agent.draft_already_final', 'approve of a failed draft');
      expectError(await ctx.admin.reject(id, note), 'agent.draft_already_final', 'reject of a failed draft');
      const after = await agentDraft(p, id, 'the failed draft after the refused review');
      if (after.draft.status !== 'failed' || after.execution?.id !== failed) {
        fail('a refused approve/reject changed the failed draft', `status failed, execution ${failed}`, `status ${after.draft.status}, execution ${JSON.stringify(after.execution?.id ?? null)}`);
      }
      // §10: "structured audit events across allow, deny and fail paths".
      const failedEvent = (e: AuditEvent) => e.draft_id === id && e.status === 'failed';
      const events = (await auditUntil(ctx, p.appId, (all) => all.some(failedEvent))).filter(failedEvent);
      if (events.length === 0) fail('the failed execution left no audit event with status failed', `an audit event of draft ${id} with status "failed"`, 'none', ap);
      // §10: "… with the reason code": the code a server gives a failure is its own (an agent.* code or a sanitised
      // failure's), but an event of a failure without one is not deterministic to analyse.
      const uncoded = events.filter((e) => typeof e.code !== 'string' || e.code.trim() === '');
      if (uncoded.length === events.length) fail('the audit event of the failed execution carries no reason code', `an audit event of draft ${id} with status "failed" and its code (§10: "with the reason code")`, events.map((e) => `${e.id ?? '?'} code ${JSON.stringify(e.code ?? null)}`).join(', '), ap);

      await autoExecuted(ctx, p, sample, payload);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

/** §5: an execution failure is a sanitised adapter failure: what reaches the client names no stack, path, SQL or secret. */
function expectSanitised(ctx: CheckContext, text: string, what: string, ex?: Exchange): void {
  const leaks = findLeaks(text, ctx.secrets());
  if (leaks.length > 0) fail(`${what} is not sanitised: ${leaks.join('; ')}`, 'a sanitised adapter failure (§5): no stack trace, file path, SQL or secret', leaks.join('; '), ex);
}

/** The poll of a draft whose execution failed: draft failed, execution failed with a sanitised error. Returns the execution id. */
async function expectFailed(ctx: CheckContext, p: Persona, id: string, what: string): Promise<string> {
  const seen = await agentDraft(p, id, what);
  if (seen.draft.status !== 'failed') fail(`${what} is not failed`, 'draft.status "failed" (§2: failed (execution error))', `draft.status ${JSON.stringify(seen.draft.status)}`);
  const e = seen.execution;
  if (typeof e?.id !== 'string' || e.status !== 'failed') fail(`${what} shows no failed execution`, 'execution {id, status:"failed"}', `execution ${JSON.stringify(e)?.slice(0, 160)}`);
  if (e.error === undefined || e.error === null || e.error === '') fail(`${what}: the failed execution carries no error`, 'execution.error (§2: result or error)', `execution ${JSON.stringify(e).slice(0, 160)}`);
  expectSanitised(ctx, JSON.stringify(e.error), `${what}: its execution's error`);
  return e.id;
}

/**
 * Auto-executed under a writes window (low/medium tools): the draft fails the same way, and the same request
 * with the same idempotencyKey replays that failed execution instead of running again.
 */
async function autoExecuted(ctx: CheckContext, p: Persona, sample: WriteSample, payload: () => Record<string, unknown>): Promise<void> {
  if (sample.risk === 'high') return ctx.partial(`writes.failing (${sample.action}) is high-risk: the auto-executed failure and idempotency after it were not tried`);
  await ctx.admin.setAutoExecute(p.appId, { writes: window(ctx, [sample.action]) });
  const body = { action: sample.action, payload: payload(), execute: true, idempotencyKey: idemKey(ctx) };
  const before = new Set((await listDrafts(ctx, p.appId)).map((d) => d.id));
  const first = await p.client.actions(body);
  const d = dataOf(first);
  if (d?.status === 'executed' && d?.execution?.status === 'success') throw new ToolError(`writes.failing (${sample.action}) auto-executed successfully (${describe(first)}): name a write the tool refuses when it executes`);
  const made = (await listDrafts(ctx, p.appId)).filter((x) => !before.has(x.id));
  if (made.length !== 1) fail('the failing auto-execution did not leave exactly one draft', 'one new draft', `${made.length} new drafts`, first);
  expectSanitised(ctx, first.response.text, 'the answer to the auto-execution that failed', first);
  const failed = await expectFailed(ctx, p, made[0]!.id, 'the auto-executed draft whose execution failed');

  // §7: "A second execute with a key that already has an execution returns that execution (replayed) and runs nothing."
  const again = await p.client.actions(body);
  const r = dataOf(again);
  const now = (await listDrafts(ctx, p.appId)).filter((x) => !before.has(x.id));
  if (r?.replayed !== true || r?.execution?.id !== failed || now.length !== 1) {
    fail('repeating the failed execution with the same idempotencyKey did not replay it', `data {replayed:true, execution.id:"${failed}"}, no new draft`,
      `${describe(again)} replayed=${JSON.stringify(r?.replayed)} execution.id=${JSON.stringify(r?.execution?.id)}, ${now.length - 1} new draft(s)`, again);
  }
}
