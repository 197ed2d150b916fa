import type { CheckContext, Exchange, Persona } from '../../src/kit/check.js';
import { dataOf } from '../../src/kit/clients.js';
import { fail } from '../../src/kit/expect.js';
import { auditFor, auditUntil } from '../../src/kit/helpers.js';
import { USER_AGENT } from '../../src/kit/paths.js';
import { validateAgainst } from '../../src/protocol/schemas.js';
import type { AuditEvent } from '../../src/protocol/types.js';
import { redactedByServer } from '../abac/abac-005.js';

/**
 * The audit events an app gained while `act` ran. Diffing by id (rather than filtering by action names,
 * which the protocol does not fix) keeps provisioning events out of the count. While `until` does not hold
 * of them (by default: while nothing new shows), the trail is re-read a few times (auditUntil, under a
 * second in all, on the target's clock), so an asynchronous audit sink — or a provisioning event it makes
 * readable only now — is not blamed.
 */
export async function eventsDuring(ctx: CheckContext, appId: string, act: () => Promise<Exchange>, until: (fresh: AuditEvent[]) => boolean = (fresh) => fresh.length > 0): Promise<{ ex: Exchange; events: AuditEvent[] }> {
  const before = new Set((await auditFor(ctx, appId)).map((e) => e.id));
  const ex = await act();
  const fresh = (events: AuditEvent[]) => events.filter((e) => !before.has(e.id));
  return { ex, events: fresh(await auditUntil(ctx, appId, (events) => until(fresh(events)))) };
}

export function summarize(events: readonly AuditEvent[]): string {
  return events.length ? events.map((e) => `${e.action} ${e.status} ${e.code ?? '(no code)'}`).join('; ') : 'no new events';
}

/**
 * The new event that records the operation: the first whose `problemsOf` is empty. The brief asks for
 * events on allow, deny and fail paths (§10), not for exactly one, so further events are noted, never
 * failed; no event at all, or none that records the operation, is the finding.
 */
export function recordingEvent(ctx: CheckContext, events: AuditEvent[], problemsOf: (e: AuditEvent) => string[], what: string, expected: string, ex: Exchange): AuditEvent {
  if (events.length === 0) fail(`${what}: no audit event`, expected, 'no new events', ex);
  const judged = events.map((e) => ({ e, problems: problemsOf(e) }));
  const hit = judged.find((j) => j.problems.length === 0);
  if (!hit) fail(`${what}: no audit event records it (${judged[0].problems.join('; ')})`, expected, JSON.stringify(judged[0].e).slice(0, 400), ex);
  if (events.length > 1) ctx.note(`${what}: ${events.length} audit events (${summarize(events)})`);
  return hit.e;
}

const MAY_BE_OMITTED: Record<string, unknown> = { code: null, created_at: '' };

/**
 * The §10 fields of an event about an agent request whose key was recognised and whose actor was resolved (§6
 * steps 2–5 passed, whether it was then allowed or denied): the actor, the client's address, and the user agent
 * the request sent. MCP exchanges carry no HTTP headers: an admitted session's events carry the user agent the
 * MCP client opened it with (the tool's own), which `session` asks for; a session refused as it opens may not
 * have one.
 */
export function requestFieldProblems(ctx: CheckContext, e: AuditEvent, ex: Exchange, session = true): string[] {
  const problems: string[] = [];
  for (const f of ['actor_user_id', 'ip'] as const) if (typeof e[f] !== 'string' || e[f] === '') problems.push(`${f} ${JSON.stringify(e[f])}`);
  const sent = ex.request.headers?.['user-agent'] ?? (ctx.binding === 'mcp' && session ? USER_AGENT : undefined);
  if (sent !== undefined && e.user_agent !== sent) problems.push(`user_agent ${JSON.stringify(e.user_agent)} ≠ the ${JSON.stringify(sent)} sent`);
  return problems;
}

/**
 * Schema problems of an event. `code` and `created_at` may be omitted rather than null (serializers that
 * drop null fields): no AUDIT requirement is about them, and the checks read `code` only where one is due.
 */
export function shapeProblems(e: AuditEvent): string[] {
  return validateAgainst('audit-event', { ...MAY_BE_OMITTED, ...e });
}

/**
 * Whether the audit events of draft `draftId` (those of one operation on it) hold an event of their own
 * besides the event of its execution `executionId`. §10 names the operation that leads to an execution (an
 * approval, an auto-execute request) and the execution as operations of their own; one event standing for
 * both is accepted only when it is not the execution's alone.
 */
export function auditedBesidesExecution(events: readonly AuditEvent[], draftId: string, executionId: string): boolean {
  const ofDraft = events.filter((e) => e.draft_id === draftId);
  return ofDraft.length >= 2 || ofDraft.some((e) => e.execution_id !== executionId);
}

/**
 * A recognisable value for each of `fields` (the target's sensitive fields), shaped as an e-mail address, which
 * free-text fields take too, so that a format validator does not refuse it.
 */
export function sensitiveValues(ctx: CheckContext, fields: readonly string[]): Record<string, string> {
  const stamp = Math.floor(ctx.random() * 1e9).toString(36);
  return Object.fromEntries(fields.map((f) => [f, `conform.${f.replace(/[^A-Za-z0-9]/g, '')}.${stamp}@openport-conform.invalid`]));
}

/**
 * `action` drafted by `p` with `payload` carrying a value in each sensitive field of `values`: all of them in one
 * draft, else (the tool refuses that) one draft per field it takes alone. Returns the drafts, each with the body
 * it carried and the fields in it.
 */
export async function sensitiveDrafts(p: Persona, action: string, payload: Record<string, unknown>, values: Record<string, string>): Promise<{ id: string; body: Record<string, unknown>; fields: string[] }[]> {
  const draft = async (fields: string[]) => {
    const body = { ...payload, ...Object.fromEntries(fields.map((f) => [f, values[f]!])) };
    const d = dataOf(await p.client.actions({ action, payload: body }));
    return d?.status === 'draft' && typeof d.draft?.id === 'string' ? [{ id: d.draft.id as string, body, fields }] : [];
  };
  const all = Object.keys(values);
  const together = await draft(all);
  if (together.length > 0 || all.length < 2) return together;
  return (await Promise.all(all.map((f) => draft([f])))).flat();
}

/**
 * "sensitive payload fields are redacted" (§10): fails when `events` show a sensitive value the check wrote
 * (`written`: field → value). A guessed list (fixed.sensitiveFields false) binds only the fields the server
 * itself redacts on reads; the others are noted. `label` names the personas the read comparison creates.
 */
export async function expectSensitiveRedacted(ctx: CheckContext, events: unknown, written: Record<string, string>, label: string, what: string): Promise<void> {
  const text = JSON.stringify(events);
  let shown = Object.entries(written).filter(([, v]) => text.includes(v)).map(([f]) => f);
  if (shown.length && ctx.target.fixed?.sensitiveFields === false) {
    const redacted = await redactedByServer(ctx, shown, label);
    const unjudged = shown.filter((f) => !redacted.has(f));
    if (unjudged.length) ctx.note(`the audit trail shows ${unjudged.join(', ')}, which the server does not redact on reads either (the list is a guess): not judged`);
    shown = shown.filter((f) => redacted.has(f));
  }
  if (shown.length) fail(`audit events show the sensitive payload field(s) ${shown.join(', ')} as written (${what})`, 'sensitive payload fields redacted in every audit event', shown.map((f) => `${f}: ${written[f]}`).join('; '));
}
