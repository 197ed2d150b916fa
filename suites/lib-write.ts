/**
 * Shared steps of the write-lifecycle and state-witness checks: make a resource through the protocol itself
 * (draft + admin approval), cause drift, open auto-execute windows, find what a write created, and clean up
 * the drafts a check leaves pending (the engine revokes apps, which does not settle their drafts).
 * Everything domain-specific comes from ctx.target.
 */
import { Skip, ToolError, type AgentClient, type CheckContext, type Exchange, type Persona } from '../src/kit/check.js';
import { codeOf, describe, expectDraftRefusal, expectError, expectSuccess, fail } from '../src/kit/expect.js';
import { dataOf } from '../src/kit/clients.js';
import { aimsAtResource, fillRandom, markedCreateOrSkip, readBack, readMarked, showsEffect, valueAt, withResource } from '../src/kit/helpers.js';
import { writeSamples, type WriteSample } from '../src/kit/target.js';
import { keyFrom } from './env/routes.js';
import { ADMIN_BASE, REASON_CODES, type AutoExecuteConfig, type AutoExecuteWindow, type ReasonCode } from '../src/protocol/index.js';

export const HOUR = 3_600_000;

/**
 * A fresh suffix: seeded randomness plus the clock, because a replay with the same --seed against a
 * long-lived server must not collide with the markers and idempotency keys of the earlier run.
 */
function unique(ctx: CheckContext): string {
  return `${ctx.now().toString(36)}${Math.floor(ctx.random() * 2 ** 40).toString(36).padStart(8, '0')}`;
}

/** A string no other check or run produces, embedding the check id, so read-back is exact. */
export function marker(ctx: CheckContext): string {
  return `openport-conform ${ctx.checkId} ${unique(ctx)}`;
}

/** An idempotency key unique to this check invocation. */
export function idemKey(ctx: CheckContext): string {
  return `conform-${ctx.checkId.toLowerCase()}-${unique(ctx)}`;
}

export function justification(ctx: CheckContext): string {
  return `openport-conform ${ctx.checkId}: conformance test of a high-risk write`;
}

/**
 * The create sample carrying `mark`: in its "$random" slot when the target defines one, else as its title.
 * Without either the checks could not tell their own resource from everyone else's.
 */
export function createPayload(ctx: CheckContext, mark: string): Record<string, unknown> {
  return markedCreateOrSkip(ctx.target, mark);
}

/** A write sample's payload aimed at `resourceId`. */
export function payloadFor(sample: WriteSample, resourceId: string, random = ''): Record<string, unknown> {
  return withResource(fillRandom(sample.payload, random), resourceId);
}

/** The id of the resource an execution created (target.writes.create.resultIdPath inside execution.result). */
export function createdId(ctx: CheckContext, execution: unknown): string | undefined {
  const path = ctx.target.writes.create.resultIdPath;
  if (!path) return undefined;
  const id = valueAt((execution as { result?: unknown } | undefined)?.result, path);
  return typeof id === 'string' ? id : undefined;
}

/** Fail unless exactly `n` resources carry `mark`. */
export async function expectMarkedCount(ctx: CheckContext, p: Persona, mark: string, n: number, what: string): Promise<Record<string, unknown>[]> {
  const found = await readMarked(ctx, p.client, mark, n);
  if (found.length !== n) {
    fail(`${what}: expected ${n} resource(s) titled "${mark}", found ${found.length}`, `${n} resource(s) with the marker`, `${found.length}`);
  }
  return found;
}

/**
 * The resource with `id` as the read-back shows it, or undefined once the high-risk write's effect shows on it
 * (target.writes.highRisk.effect: gone, or a field such as a status or a deletion flag set).
 */
export async function readResource(ctx: CheckContext, p: Persona, id: string): Promise<Record<string, unknown> | undefined> {
  const item = await readBack(ctx, p.client, id);
  return showsEffect(ctx.target.writes.highRisk.effect, item) ? undefined : item;
}

/** "absent" or "status = closed": what the high-risk effect looks like, for messages. */
export function effectText(ctx: CheckContext): string {
  const e = ctx.target.writes.highRisk.effect;
  return [e?.absent ? 'the resource absent' : '', e?.field ? `${e.field} = ${JSON.stringify(e.equals)}` : ''].filter(Boolean).join(' or ') || 'its effect';
}

/** Fail unless resource `id` still exists (and, when given, still carries the drift value `driftValue`). */
export async function expectIntact(ctx: CheckContext, p: Persona, id: string, what: string, driftValue?: string): Promise<void> {
  const item = await readResource(ctx, p, id);
  if (!item) fail(`${what}: the high-risk write's effect shows on resource ${id}`, `resource ${id} as it was`, `read-back shows ${effectText(ctx)}`);
  if (driftValue !== undefined && !JSON.stringify(item).includes(driftValue)) {
    fail(`${what}: resource ${id} no longer carries the drift write's value`, `resource as the drift left it (${driftValue})`, JSON.stringify(item).slice(0, 300));
  }
}

/**
 * An id of the server's shape that it never issued, its form kept (width, alphabet, a UUID's or ULID's fields):
 * after the prefix (up to the last `_`), a zero-padded decimal counter gets a leading `9` (`drf_0000000000000031`
 * → `drf_9000000000000031`, past any sequence its width holds but the last tenth), another id with a leading
 * zero a `1` (a padded hex counter, a ULID, whose first character is at most 7); a short one, an unpadded
 * counter in any base, is widened (`drf_31` → `drf_31000000`, `drf_o1` → `drf_o1000000`); any other id (random
 * hex, a UUID, a snowflake) gets its last letter or digit changed. The neighbour of a counter is no such id:
 * the next one is often issued.
 */
export function neverIssuedId(id: string): string {
  const cut = id.lastIndexOf('_') + 1;
  const [head, body] = [id.slice(0, cut), id.slice(cut)];
  if (/^0\d+$/.test(body)) return `${head}9${body.slice(1)}`;
  if (body.startsWith('0') && body.length > 1) return `${head}1${body.slice(1)}`;
  if (/^[A-Za-z0-9]{1,7}$/.test(body)) return `${head}${body}000000`;
  const at = body.search(/[A-Za-z0-9][^A-Za-z0-9]*$/);
  if (at < 0) return `${id}0`;
  return `${head}${body.slice(0, at)}${body[at] === '0' ? '1' : '0'}${body.slice(at + 1)}`;
}

/** POST /actions for the create sample carrying `mark`, as a draft unless `extra` says otherwise. */
export function requestCreate(ctx: CheckContext, p: Persona, mark: string, extra: Record<string, unknown> = {}): Promise<Exchange> {
  return p.client.actions({ action: ctx.target.writes.create.action, payload: createPayload(ctx, mark), ...extra });
}

/**
 * Draft a write (no execute) as set-up; returns the draft id. Whether writes are draft-first is WRITE-001's
 * subject: any other answer here means this check cannot be set up — a tool error, not a finding.
 */
export async function draftWrite(p: Persona, action: string, payload: unknown, why = 'set-up', fields: Record<string, string> = {}): Promise<string> {
  const ex = await p.client.actions({ ...fields, action, payload });
  const d = dataOf(ex);
  if (d?.status !== 'draft' || typeof d?.draft?.id !== 'string') {
    throw new ToolError(`${why}: ${action} without execute did not answer a pending draft: ${describe(ex)} (see WRITE-001)`);
  }
  return d.draft.id;
}

/**
 * The target's write samples but the create's, each tool once: a check that judges a rule on the create judges
 * it on each of these too, so a server broken off the sampled tool is not certified.
 */
export function otherWrites(ctx: CheckContext): WriteSample[] {
  return writeSamples(ctx.target).filter((s) => s.action !== ctx.target.writes.create.action);
}

/** The actions of `samples` in one auto-execute tier: the high-risk tier (`high`) or the writes tier. */
export function tierActions(samples: readonly WriteSample[], high: boolean): string[] {
  return samples.filter((s) => (s.risk === 'high') === high).map((s) => s.action);
}

/**
 * `p` speaking with a new key of its app (`label` names it): another key of the same app, or a fresh
 * rate-limit window for a check that sends more than one key's share.
 */
export async function secondKey(ctx: CheckContext, p: Pick<Persona, 'appId'>, label = 'second key'): Promise<{ keyId: string; token: string; client: AgentClient }> {
  const key = keyFrom(await ctx.admin.createKey(p.appId, { name: `openport-conform ${ctx.checkId} ${label}` }));
  if (!key) throw new ToolError(`set-up: POST /apps/${p.appId}/keys returned no data.key.id and data.token`);
  return { ...key, client: ctx.client(key.token) };
}

/**
 * Pauses before each further attempt of a prepared execute whose impact moved between its preflight and its
 * action (another check's writes change an export's row count, several in a row in a busy run): the attempts
 * spread over about a second, on the window clock, so that a burst of writes has passed before the last one.
 */
const PREPARED_RETRY_MS = [0, 20, 60, 150, 300, 600];

/**
 * `payload` of `action` executed fully prepared by `p`: its preflightHash (and stateWitnessHash when the preflight
 * gives one), a justification and a fresh idempotency key. An impact that moved between the preflight and the
 * execute is refused with preflight_mismatch: preflighted again (PREPARED_RETRY_MS). `key`: the idempotency key to send
 * (default: a fresh one per attempt). Returns the last body sent and its answer.
 */
export async function executePrepared(ctx: CheckContext, p: Persona, action: string, payload: unknown, key?: string): Promise<{ ex: Exchange; body: Record<string, unknown> }> {
  for (let attempt = 0; ; attempt++) {
    await ctx.windowClock.sleep(PREPARED_RETRY_MS[attempt]!);
    const pf = await preflight(p, action, payload);
    const body = { action, payload, execute: true, justification: justification(ctx), idempotencyKey: key ?? idemKey(ctx), preflightHash: pf.impactHash, ...(pf.stateWitnessHash ? { stateWitnessHash: pf.stateWitnessHash } : {}) };
    const ex = await p.client.actions(body);
    if (attempt === PREPARED_RETRY_MS.length - 1 || dataOf(ex)?.autoExecuteDeniedCode !== 'agent.preflight_mismatch') return { ex, body };
  }
}

/**
 * `body` (an executePrepared body) sent again by `p`, as a repeat with its idempotency key. Where the impact its
 * preflight showed has moved since, a server that compares the hash before it looks the key up refuses with
 * preflight_mismatch: the payload and key are then sent again with a fresh preflight (PREPARED_RETRY_MS), so that
 * the repeat reaches the key whichever gate the server checks first. A payload the server no longer preflights
 * (its resource is gone) keeps the refusal.
 */
export async function repeatPrepared(ctx: CheckContext, p: Persona, body: Record<string, unknown>): Promise<Exchange> {
  let ex = await p.client.actions(body);
  for (let attempt = 1; attempt < PREPARED_RETRY_MS.length && dataOf(ex)?.autoExecuteDeniedCode === 'agent.preflight_mismatch'; attempt++) {
    await ctx.windowClock.sleep(PREPARED_RETRY_MS[attempt]!);
    const pf = await p.client.preflight(String(body.action), body.payload);
    const d = dataOf(pf);
    if (typeof d?.impactHash !== 'string') return ex;
    ex = await p.client.actions({ ...body, preflightHash: d.impactHash, ...(typeof d.stateWitnessHash === 'string' ? { stateWitnessHash: d.stateWitnessHash } : {}) });
  }
  return ex;
}

/** Draft `sample` (no execute) as set-up, aimed at `resource` where its payload names one; returns the draft id. */
export function draftSample(ctx: CheckContext, p: Persona, sample: WriteSample, resource: string): Promise<string> {
  return draftWrite(p, sample.action, payloadFor(sample, resource, marker(ctx)), `set-up of a ${sample.action} draft`);
}

/** Draft the create sample carrying `mark` (no execute) as set-up; returns the draft id. */
export function draftCreate(ctx: CheckContext, p: Persona, mark: string): Promise<string> {
  return draftWrite(p, ctx.target.writes.create.action, createPayload(ctx, mark));
}

/**
 * A draft of `p`'s app that exists, drafted with its live key: a refusal that holds for a draft id never issued
 * must hold for a draft the app owns too. Undefined, with a partial pass naming `untried`, when the create drafted
 * nothing (draft-first is WRITE-001's subject, not this check's).
 */
export async function existingDraft(ctx: CheckContext, p: Persona, untried: string): Promise<string | undefined> {
  const { action } = ctx.target.writes.create;
  const id = dataOf(await p.client.actions({ action, payload: createPayload(ctx, marker(ctx)) }))?.draft?.id;
  if (typeof id === 'string') return id;
  ctx.partial(`${action} drafted nothing with the app's live key: ${untried} was not tried`);
  return undefined;
}

/** Draft + approve a write as set-up. A refusal here means the check cannot be set up: a tool error, not a finding. */
async function draftAndApprove(ctx: CheckContext, p: Persona, action: string, payload: unknown, why: string): Promise<{ execution: any }> {
  const draftId = await draftWrite(p, action, payload, why);
  const ap = await ctx.admin.approve(draftId, `openport-conform ${ctx.checkId} set-up`);
  const execution = dataOf(ap)?.execution;
  if (execution?.status !== 'success' || typeof execution?.id !== 'string') {
    throw new ToolError(`${why}: approving ${action} draft ${draftId} did not execute: ${describe(ap)} (see WRITE-002)`);
  }
  return { execution };
}

/** A fresh resource for `sample` when its payload aims at one ("$resourceId"), else '' (a create names its container). */
export async function resourceFor(ctx: CheckContext, p: Persona, sample: WriteSample): Promise<string> {
  return aimsAtResource(sample) ? createResource(ctx, p) : '';
}

/** A fresh resource of the create sample, made through draft + admin approval; returns its id. */
export async function createResource(ctx: CheckContext, p: Persona): Promise<string> {
  const { execution } = await draftAndApprove(ctx, p, ctx.target.writes.create.action, createPayload(ctx, marker(ctx)), 'set-up');
  const id = createdId(ctx, execution);
  if (!id) {
    throw new ToolError(`set-up: execution ${execution.id} has no created id at result.${ctx.target.writes.create.resultIdPath ?? '(target.writes.create.resultIdPath unset)'}`, 2);
  }
  return id;
}

/**
 * Change resource `id`'s version through the drift sample (draft + approval); returns the value it wrote.
 * Witnesses carry `updated_at`, often to the millisecond (hence the pause) but on some stores only to the
 * second: when the high-risk witness did not move, the drift is repeated once a second has passed, so the
 * checks test staleness rather than the clock's resolution.
 */
export async function drift(ctx: CheckContext, p: Persona, id: string): Promise<string> {
  const { drift: sample, highRisk } = ctx.target.writes;
  const witness = async () => (await preflight(p, highRisk.action, payloadFor(highRisk, id))).stateWitnessHash;
  const before = await witness();
  let value = '';
  for (const pause of [5, 1_100]) {
    value = `drift-${ctx.checkId.toLowerCase()}-${unique(ctx)}`;
    await ctx.sleep(pause);
    await draftAndApprove(ctx, p, sample.action, payloadFor(sample, id, value), 'drift');
    if (before === undefined || (await witness()) !== before) break;
    ctx.note(`the ${highRisk.action} witness did not change within ${pause} ms of a drift`);
  }
  return value;
}

/**
 * Change resource `id` through the update sample (draft + approval). Unlike the drift sample this is meant
 * to change what the high-risk tool's impact shows (the demo's update rewrites the title).
 */
export async function update(ctx: CheckContext, p: Persona, id: string): Promise<void> {
  await ctx.sleep(5);
  await draftAndApprove(ctx, p, ctx.target.writes.update.action, payloadFor(ctx.target.writes.update, id, `update-${unique(ctx)}`), 'update');
}

/** An auto-execute window open for an hour (or already closed, with a negative offset). */
export function window(ctx: CheckContext, actions: string[], offsetMs = HOUR): AutoExecuteWindow & { enabled: true } {
  return { enabled: true, expires_at: new Date(ctx.now() + offsetMs).toISOString(), allowed_actions: actions };
}

/** An open high-risk window allowing the target's high-risk action (require_preflight/idempotency left at their defaults). */
export function highRiskWindow(ctx: CheckContext): AutoExecuteConfig {
  return { high_risk: window(ctx, [ctx.target.writes.highRisk.action]) };
}

/**
 * `w` with its expires_at (a toISOString() time, "Z") written with the numeric offset "+00:00" instead: the same
 * instant in RFC 3339's other form, which a server that parses timestamps must read alike.
 */
export function withNumericOffset<W extends AutoExecuteWindow>(w: W): W {
  return { ...w, expires_at: typeof w.expires_at === 'string' ? w.expires_at.replace(/Z$/, '+00:00') : w.expires_at };
}

/**
 * PATCH `cfg` as `p`'s auto-execute configuration: the answer, or 'refused' when the admin plane refuses it as a
 * validation failure (400 common.validation: the brief fixes no timestamp form, so a server may take one only).
 * Any other refusal is a set-up failure.
 */
export async function setAutoExecuteIfValid(ctx: CheckContext, p: Pick<Persona, 'appId'>, cfg: AutoExecuteConfig): Promise<Exchange | 'refused'> {
  const ex = await patchAutoExecute(ctx, p, cfg);
  if (ex.response.status >= 200 && ex.response.status < 300) return ex;
  if (ex.response.status === 400 && codeOf(ex) === 'common.validation') {
    ctx.note(`admin plane refused auto-execute ${JSON.stringify(cfg)}: ${describe(ex)}`);
    return 'refused';
  }
  throw new ToolError(`set-up: admin plane refused PATCH /apps/${p.appId}/auto-execute ${JSON.stringify(cfg)}: ${describe(ex)}`, 'OPC_E_ADMIN_REFUSED');
}

/**
 * Give `p` a `writes` window (allowing `actions`) that has expired. An admin plane that refuses a past
 * expires_at gets a window closing 1.5 s ahead on its own clock (soonOnServer), and the check waits it out.
 */
export async function expireWritesWindow(ctx: CheckContext, p: Persona, actions: string[]): Promise<Exchange | undefined> {
  const past = await patchAutoExecute(ctx, p, { writes: window(ctx, actions, -HOUR) });
  if (past.response.status >= 200 && past.response.status < 300) return past;
  ctx.note(`admin plane refused a past expires_at (${describe(past)}); used a window closing soon on its clock`);
  const { passed } = await setExpiringSoon(ctx, clockOffset(ctx, past), 'a writes window', (at) => patchAutoExecute(ctx, p, { writes: window(ctx, actions, at - ctx.now()) }));
  await ctx.sleep(Math.max(0, passed - ctx.now()));
  return undefined;
}

/** PATCH /apps/{id}/auto-execute as sent: the answer, whatever it is. */
export function patchAutoExecute(ctx: CheckContext, p: Pick<Persona, 'appId'>, cfg: AutoExecuteConfig): Promise<Exchange> {
  return ctx.admin.request({ method: 'PATCH', path: `${ADMIN_BASE}/apps/${encodeURIComponent(p.appId)}/auto-execute`, body: cfg });
}

/**
 * Where a past expiry is refused: `set(at)` makes a key or window expiring at `at` (our clock's ms), first 1.5 s
 * ahead on the server's clock (soonOnServer), and if refused again 5 s ahead (its Date header may come from
 * another clock than the one that judges expiries, a proxy's). Its accepted answer, and the moment on our clock
 * after which that expiry has passed on the server by the clocks of both answers; a set-up failure when both
 * are refused.
 */
export async function setExpiringSoon(ctx: CheckContext, offset: { low: number; high: number }, what: string, set: (at: number) => Promise<Exchange>): Promise<{ ex: Exchange; passed: number }> {
  let refused = '';
  for (const lead of [1_500, 5_000]) {
    const soon = soonOnServer(ctx, offset, lead);
    const ex = await set(soon.at);
    // Waited out by the clock of the answer that took it too, where that one reads further behind (a refusal and
    // an acceptance need not come from one clock).
    if (ex.response.status >= 200 && ex.response.status < 300) return { ex, passed: Math.max(soon.passed, soon.at + 1_000 - clockOffset(ctx, ex).low) };
    refused = describe(ex);
  }
  throw new ToolError(`set-up: admin plane refused ${what} expiring 1.5 s and 5 s ahead on its clock: ${refused}`, 'OPC_E_ADMIN_REFUSED');
}

/**
 * What the server's clock may read minus ours, from its answer `ex` just received: its Date header (to the second)
 * was stamped while the request was out, so the difference lies between `low` and `high`. Both 0 without a Date.
 */
export function clockOffset(ctx: CheckContext, ex: Exchange): { low: number; high: number } {
  const date = Date.parse(String(ex.response.headers.date ?? ''));
  if (!Number.isFinite(date)) return { low: 0, high: 0 };
  const now = ctx.now();
  return { low: date - now, high: date + 1_000 - (now - ex.durationMs) };
}

/**
 * For a key or a window that must expire soon where a past expiry is refused: a moment (our clock's ms) that is at
 * least `lead` ahead on the server's clock whatever it reads (`offset`: clockOffset), and the moment on our clock
 * after which it has passed there too, a second more allowed for a store that keeps times to the second. The
 * brief fixes neither clock agreement nor the precision of an expiry.
 */
export function soonOnServer(ctx: CheckContext, offset: { low: number; high: number }, lead = 1_500): { at: number; passed: number } {
  const { low, high } = offset;
  const at = ctx.now() + high + lead;
  return { at, passed: at + 1_000 - low };
}

/**
 * The offset from ctx.now() of a moment `agoMs` ago by the server's clock as well as ours: the Date header of
 * `ex` (an answer of the server just received) says what its clock read, to the second and never ahead of it, and
 * the earlier of the two is taken, so that a server whose clock lags ours never sees the moment as still to come.
 */
export function agoOnServer(ctx: CheckContext, ex: Exchange, agoMs: number): number {
  const now = ctx.now();
  const serverClock = Date.parse(String(ex.response.headers.date ?? ''));
  return Math.min(Number.isFinite(serverClock) ? serverClock : now, now) - agoMs - now;
}

/**
 * How long ago a window "only just" expired is set (agoOnServer): 2 s by the server's Date header and ours, so
 * that it is past on the server even when its store keeps expiries to the second, yet inside any grace of seconds.
 */
export const JUST_EXPIRED_MS = 2_000;

/** A write tool other than `action` that low/medium auto-execution can name (undefined when the target has none). */
export function otherWriteAction(ctx: CheckContext, action: string): string | undefined {
  const { tools, writes } = ctx.target;
  const candidates = [writes.update.action, writes.drift.action, ...Object.keys(tools)];
  return candidates.find((t) => t !== action && tools[t]?.write === true && tools[t].risk !== 'high');
}

/**
 * §5: refusals of the auto-execute gates travel as a draft's autoExecuteDeniedCode with HTTP 200 ("Every
 * refusal still creates a draft and returns HTTP 200"); preflight_mismatch is an error only when a preflightId's
 * action differs, "otherwise an autoExecuteDeniedCode", and no caller of expectWithheld sends a preflightId.
 */
const onlyAsDraft = (code: ReasonCode): boolean => REASON_CODES[code].carrier === 'autoExecuteDenied' || code === 'agent.preflight_mismatch';

/**
 * A write that must not execute: a draft whose autoExecuteDeniedCode is one of `codes`, or — for codes that
 * travel as errors here (not an auto-execute gate's) — an outright refusal with one of them. Returns the draft id, if one was made.
 */
export function expectWithheld(ex: Exchange, codes: ReasonCode | readonly ReasonCode[], what: string): string | undefined {
  const want: readonly ReasonCode[] = typeof codes === 'string' ? [codes] : codes;
  const j = ex.response.json as { ok?: unknown } | undefined;
  if (j?.ok === false) {
    const asError = want.filter((c) => !onlyAsDraft(c));
    if (asError.length === 0) {
      fail(`${what}: refused as an error instead of withheld as a draft`, { status: 200, text: `HTTP 200 data.status=draft autoExecuteDeniedCode=${want.join('|')}` }, describe(ex), ex, '/ok');
    }
    expectError(ex, asError, what);
    return undefined;
  }
  if (want.length === 1) return expectDraftRefusal(ex, want[0]!, what).draft.id;
  const data = expectSuccess<any>(ex, what);
  if (data?.status !== 'draft' || !want.includes(data?.autoExecuteDeniedCode) || typeof data?.draft?.id !== 'string') {
    fail(`${what}: expected a draft withheld with ${want.join(' or ')}`, `HTTP 200 data.status=draft autoExecuteDeniedCode=${want.join('|')}`, describe(ex), ex);
  }
  return data.draft.id;
}

/** GET /drafts/{id} on the agent plane; returns {draft, execution} or fails. */
export async function agentDraft(p: Persona, id: string, what: string): Promise<{ draft: any; execution: any }> {
  const ex = await p.client.draft(id);
  const d = dataOf(ex);
  if (ex.response.status !== 200 || !d?.draft) fail(`${what}: GET /drafts/${id} failed for the draft's own key`, 'HTTP 200 {draft, execution}', describe(ex), ex);
  // §3: {draft, execution} (latest execution or null): a draft that never ran says so with null, not by silence.
  if (d.execution === undefined) fail(`${what}: GET /drafts/${id} has no execution member`, 'data.execution: the latest execution or null', 'data.execution absent', ex, '/data/execution');
  return { draft: d.draft, execution: d.execution };
}

export { rejectPending } from '../src/kit/helpers.js';

/** What a run token refuses when its key may not use a tool or reach the resource: the token's limits, not the server's. */
const TOKEN_LIMITS: readonly string[] = ['agent.scope_denied', 'agent.action_unknown', 'agent.policy_denied'];

/**
 * Preflight with the run token (read-only style checks). A token whose key may not use the tool or reach the
 * resource cannot evaluate the check: that is a Skip naming the flag, not a finding against the server.
 */
export async function runTokenPreflight(ctx: CheckContext, action: string, payload: unknown): Promise<Exchange> {
  const ex = await ctx.agent.preflight(action, payload);
  if (TOKEN_LIMITS.includes(codeOf(ex) ?? '')) {
    throw new Skip(`the run token cannot preflight ${action} (${describe(ex)})`, `--token of a key holding ${ctx.target.tools[action]?.scopes.join(', ') ?? 'the tool\'s scopes'} in tenant ${ctx.target.orgId}`);
  }
  return ex;
}

/** As runTokenPreflight, for a tool a check can do without: a key that cannot preflight it is noted as a partial pass (undefined). */
export async function runTokenPreflightIfAllowed(ctx: CheckContext, action: string, payload: unknown, client: AgentClient = ctx.agent): Promise<Exchange | undefined> {
  const ex = await client.preflight(action, payload);
  if (!TOKEN_LIMITS.includes(codeOf(ex) ?? '')) return ex;
  ctx.partial(`the ${client === ctx.agent ? 'run token' : "check's key"} cannot preflight ${action} (${describe(ex)})`);
  return undefined;
}

/**
 * A key of the check's own where the admin plane is there, else the run token. For checks that walk the
 * whole catalog: the run token's rate budget is shared by every check of the run, and a catalog can be long.
 */
export async function ownKeyOrRunToken(ctx: CheckContext, name: string): Promise<AgentClient> {
  try {
    return (await ctx.persona({ name })).client;
  } catch (e) {
    if (e instanceof Skip) return ctx.agent;
    throw e;
  }
}

/** Preflight `action` on `payload` and return its data; a refusal is a set-up failure. */
export async function preflight(p: Persona, action: string, payload: unknown): Promise<{ impactHash: string; stateWitnessHash?: string; preflightId?: string; impact: unknown; stateWitness?: unknown }> {
  const ex = await p.client.preflight(action, payload);
  const d = dataOf(ex);
  if (typeof d?.impactHash !== 'string') throw new ToolError(`set-up: preflight of ${action} failed: ${describe(ex)} (see PREFLIGHT-001)`);
  return d;
}

/** A marked payload of the target's create sample and the preflightId `p` was issued for it. */
export async function preflightedCreate(ctx: CheckContext, p: Persona): Promise<{ mark: string; payload: Record<string, unknown>; preflightId: string }> {
  const mark = marker(ctx);
  const payload = createPayload(ctx, mark);
  const { preflightId } = await preflight(p, ctx.target.writes.create.action, payload);
  if (typeof preflightId !== 'string') fail('preflight returned no preflightId', 'data.preflightId', 'none');
  return { mark, payload, preflightId };
}

/**
 * The control of a check that first presented `preflightId` wrongly: its own key drafts `action` from it. A
 * server may consume a preflightId on any presentation, refused or not; then a fresh preflight of the same
 * payload stands in (a server that honours no preflightId still fails the control).
 */
export async function draftFromPreflight(ctx: CheckContext, p: Persona, action: string, payload: unknown, preflightId: string): Promise<Exchange> {
  const ex = await p.client.actions({ action, preflightId });
  if (codeOf(ex) !== 'agent.preflight_not_found') return ex;
  ctx.note('the refused presentation used the preflightId up; the control drafted from a fresh preflight');
  const again = await preflight(p, action, payload);
  return typeof again.preflightId === 'string' ? p.client.actions({ action, preflightId: again.preflightId }) : ex;
}

/**
 * IDEM-004/005's scenario: auto-execute the create sample with key K and marker A, then send K again with
 * marker B. Returns the second answer; the first must have executed (else it is a set-up failure).
 */
export async function reuseKeyWithOtherPayload(ctx: CheckContext, p: Persona): Promise<{ second: Exchange; markA: string; markB: string; key: string }> {
  const key = idemKey(ctx);
  const markA = marker(ctx);
  const markB = marker(ctx);
  const first = await requestCreate(ctx, p, markA, { execute: true, idempotencyKey: key });
  if (dataOf(first)?.status !== 'executed') throw new ToolError(`set-up: the first execute with key ${key} did not execute: ${describe(first)} (see AUTOEXEC-002)`);
  const second = await requestCreate(ctx, p, markB, { execute: true, idempotencyKey: key });
  return { second, markA, markB, key };
}
