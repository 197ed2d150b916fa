/**
 * Request-fuzzing properties (FUZZ-001..004): one generated request per case, judged by one oracle each.
 * The oracles only use what the protocol fixes for every response (status class, envelope, registry codes,
 * no leaks, no state change on refusal), so a correct server never fails them whatever it was sent.
 */
import { isAuditRoute } from '../src/protocol/types.js';
import fc from 'fast-check';
import { Skip, type CheckContext, type Exchange } from '../src/kit/check.js';
import { describe, fail, findLeaks, isRefusal, MIN_LEAK_SECRET, secretLeaks } from '../src/kit/expect.js';
import { checkProperty } from '../src/kit/fuzz-driver/driver.js';
import { isReasonCode, statusesFor, REASON_CODES } from '../src/protocol/codes.js';
import { validateAgainst } from '../src/protocol/schemas.js';
import { secretsIn } from '../src/protocol/redact.js';
import { readPathsOf, wrongMethodOnKnownRoute } from '../src/protocol/types.js';
import { FuzzIdentity } from './identity.js';
import { MAX_DEPTH } from './values.js';
import { authorizationBattery, deepBodyBattery, fieldBattery, queryBattery, requestArb, showRequest, type FuzzRequest, type RequestEnv } from './requests.js';
import { listDrafts, rejectPending } from '../src/kit/helpers.js';

export type Oracle = (ex: Exchange, sent: FuzzRequest, ctx: CheckContext) => void;

/** FUZZ-001: whatever was sent, no 5xx. */
export const no5xx: Oracle = (ex) => {
  if (ex.response.status >= 500) fail('server error under generated input', 'HTTP status below 500 (a 4xx refusal)', describe(ex), ex);
};

/** FUZZ-002: a well-formed envelope, a registry code, and the registry's status for that code. */
export const wellFormed: Oracle = (ex, _sent, ctx) => {
  const ct = ex.response.headers['content-type'] ?? '';
  if (ex.response.json === undefined) fail('response is not a JSON envelope', 'an OpenPort envelope (JSON)', describe(ex), ex);
  if (!/^application\/json\b/i.test(ct)) fail('response not served as JSON', 'Content-Type: application/json', `Content-Type: ${ct || '(none)'}`, ex);
  const problems = validateAgainst('envelope', ex.response.json);
  if (problems.length) fail('malformed envelope', '{ok:true, code:"common.success", data} or {ok:false, code, message}', problems.slice(0, 3).join('; '), ex);
  const j = ex.response.json as { ok: boolean; code: string };
  if (j.ok) {
    // 200 throughout the brief; 201 from admin routes that create is a common, harmless choice.
    if (ex.response.status !== 200 && ex.response.status !== 201) fail('success envelope with a non-success status', 'HTTP 200 (or 201) with ok:true', describe(ex), ex);
    return;
  }
  if (!isReasonCode(j.code)) {
    // Servers may add codes (the brief: clients tolerate unknown agent.* codes as "unexpected code"), and the
    // brief gives none for an unknown route or method. A 4xx refusal with one is noted, as ENV-003 does; an
    // unknown code on a success or 5xx status is a finding (5xx is FUZZ-001's too).
    if (ex.response.status >= 400 && ex.response.status < 500) {
      ctx.note?.(`unexpected code (outside the registry): ${j.code} with HTTP ${ex.response.status}`);
      return;
    }
    fail(`unexpected code (outside the registry) on a non-4xx status: ${j.code}`, `a registry code: ${Object.keys(REASON_CODES).slice(0, 6).join(', ')}, …`, describe(ex), ex);
  }
  const allowed = statusesFor(j.code, { wrongMethod: wrongMethodOnKnownRoute(ex.request.method, ex.request.path, ctx?.target?.reads && readPathsOf(ctx.target.reads)) });
  if (!allowed.includes(ex.response.status)) fail(`HTTP status disagrees with the registry for ${j.code}`, `HTTP ${allowed.join('|') || '(none: not an error code)'} ${j.code}`, describe(ex), ex);
};

/** Token values an admin plane hands out on purpose (app and key creation) are not leaks. */
function withoutIssuedTokens(ex: Exchange, sent: FuzzRequest): string {
  const j = ex.response.json as { ok?: unknown } | undefined;
  if (sent.plane !== 'admin' || j?.ok !== true) return ex.response.text;
  return JSON.stringify(j, (k, v) => (k === 'token' ? '(issued token)' : v));
}

/**
 * FUZZ-003: no stack trace, path, SQL, known secret or presented credential in the body. A secret the request
 * itself carried in its path or body may come back (a draft echoes its payload): that discloses nothing new.
 */
export const noLeak: Oracle = (ex, sent, ctx) => {
  const presented = /^\S+\s+(\S{16,})$/.exec(ex.request.headers.authorization ?? '')?.[1];
  // The run's own list (not a copy) is searched with the run's index: a case costs the same at the first
  // secret as at the thousandth.
  const known = ctx.secrets();
  const extra = presented && !secretsIn(presented, known).includes(presented) ? [presented] : [];
  let text = withoutIssuedTokens(ex, sent);
  const carried = (list: readonly string[]) => new Set([...secretsIn(ex.request.path, list), ...secretsIn(ex.request.body ?? '', list)]);
  for (const s of [...carried(known), ...carried(extra)]) {
    if (s.length >= MIN_LEAK_SECRET) text = text.split(s).join('(reflected)');
  }
  const leaks = [...findLeaks(text, known), ...secretLeaks(text, extra)];
  if (leaks.length) fail(`response leaks ${leaks.join('; ')}`, 'no stack trace, file path, SQL or token in the body', leaks.join('; '), ex);
};

/** FUZZ-001..003: one property over every route, judged by `oracle`. */
export async function fuzzRequests(ctx: CheckContext, oracle: Oracle): Promise<void> {
  const id = await FuzzIdentity.create(ctx, { name: `fuzz ${ctx.checkId}` });
  const env: RequestEnv = { target: ctx.target, tools: await id.manifestTools(), admin: id.persona, execute: id.persona };
  let skipped = 0;
  let runs: number;
  try {
    // The audit listing's answer may be the server's whole history (see queryBattery): only FUZZ-001, which
    // judges that no query crashes a route, pays for it once a run.
    const queries = ctx.binding === 'http' ? queryBattery(env).filter((r) => ctx.checkId === 'FUZZ-001' || !isAuditRoute(r.path)) : [];
    const headers = ctx.binding === 'http' ? authorizationBattery() : [];
    // After the generated requests: a fault they find is reported with its replay (seed and path); these
    // headers and bodies only make sure every malformed header was sent and the depth limit met whatever the seed.
    const deep = ctx.binding === 'http' ? deepBodyBattery(env) : [];
    const fields = ctx.binding === 'http' ? fieldBattery(env) : [];
    const sendAll = async (reqs: FuzzRequest[]) => {
      for (const req of reqs) {
        const ex = await id.send(req);
        if (!ex) skipped++;
        else oracle(ex, req, ctx);
      }
    };
    await sendAll(queries);
    if (queries.length) ctx.note(`${queries.length} hostile query strings on every query-reading route`);
    ({ runs } = await checkProperty(
      ctx,
      requestArb(env),
      async (req) => {
        const ex = await id.send(req);
        if (!ex) return void skipped++;
        oracle(ex, req, ctx);
      },
      { show: showRequest, corpus: (r) => r },
    ));
    await sendAll(headers);
    if (headers.length) ctx.note(`${headers.length} malformed Authorization headers on the manifest`);
    await sendAll(deep);
    if (deep.length) ctx.note(`${deep.length} bodies nested ${MAX_DEPTH} levels deep`);
    await sendAll(fields);
    if (fields.length) ctx.note(`${fields.length} preflights with one payload field of the wrong kind`);
  } finally {
    if (id.appId) await rejectPending(ctx, id.appId);
  }
  ctx.note(`${runs} generated requests (${id.persona ? 'dedicated persona' : 'run token'})`);
  if (skipped) ctx.partial(`${skipped} generated cases not sent: the run token's share of the rate limit was used up (--admin-header at --safety draft or above gives the check a key of its own)`);
}

interface Watched { id: FuzzIdentity; drafts: Set<string> }

/**
 * FUZZ-004: two personas (one holding a single read scope, one holding every scope, neither allowed to
 * auto-execute) receive generated agent requests. After every refused request the app's drafts are listed:
 * a refusal that left a draft behind is a finding. At the end no draft may have left `draft` and the
 * audit log may name no execution, since nothing was ever approved or allowed to auto-execute.
 */
export async function fuzzDenialsLeaveNoState(ctx: CheckContext): Promise<void> {
  const readScopes = ctx.target.reads[0]?.scopes ?? [];
  if (!readScopes.length) throw new Skip('the target file names no read route, so there is no narrow persona to fuzz', 'list reads in the target file');
  const watched: Watched[] = [];
  for (const [name, scopes] of [['fuzz-denied-narrow', readScopes], ['fuzz-denied-wide', ctx.target.scopes]] as const) {
    const id = await FuzzIdentity.create(ctx, { name, scopes: [...scopes] });
    watched.push({ id, drafts: new Set((await listDrafts(ctx, id.appId!)).map((d) => d.id)) });
  }
  let runs: number;
  try {
    const env: RequestEnv = { target: ctx.target, tools: await watched[1]!.id.manifestTools(), admin: false, execute: true };
    ({ runs } = await checkProperty(
      ctx,
      fc.tuple(fc.nat({ max: 1 }), requestArb(env)),
      async ([which, req]) => {
        const w = watched[which]!;
        const ex = await w.id.send(req);
        if (!ex || req.method === 'GET') return;
        const now = await listDrafts(ctx, w.id.appId!);
        const fresh = now.filter((d) => !w.drafts.has(d.id));
        if (isRefusal(ex) && fresh.length) {
          fail('a refused request changed state', 'no draft created by a refused request', `${describe(ex)} yet draft(s) ${fresh.map((d) => d.id).join(', ')} appeared`, ex);
        }
        for (const d of fresh) w.drafts.add(d.id);
      },
      { show: ([which, r]) => `${which ? 'all-scope' : 'read-only'} persona: ${showRequest(r)}`, corpus: ([, r]) => r },
    ));
    for (const w of watched) {
      const moved = (await listDrafts(ctx, w.id.appId!)).filter((d) => d.status !== 'draft');
      if (moved.length) fail('a draft executed or closed although nothing was approved and auto-execute was off', 'every draft still `draft`', moved.map((d) => `${d.id}: ${d.status}`).join(', '));
      const executions = (await ctx.admin.audit(w.id.appId!)).filter((e) => e.execution_id);
      if (executions.length) fail('an execution was recorded for a persona that never had a write approved or auto-executed', 'no audit event with an execution_id', executions.map((e) => `${e.action} ${e.execution_id}`).join(', '));
    }
  } finally {
    // After the verdict: rejecting is itself a state change the assertions above must not see.
    await rejectPending(ctx, ...watched.map((w) => w.id.appId!));
  }
  ctx.note(`${runs} generated requests over a read-only and an all-scope persona`);
}
