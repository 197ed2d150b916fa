/** Risk-gated write lifecycle: preflight, drafts, auto-execute gates, idempotency, execution, approval. */
import type { ReasonCode } from '../protocol/codes.js';
import { jcs } from '../protocol/hash.js';
import type { Draft, DraftStatus, Execution, ToolDescriptor } from '../protocol/types.js';
import { auditAgent, checkContainer, findTool, holdsScopes, type AgentCtx, type Core, type Subject } from './core.js';
import type { DomainAction } from './domain.js';
import { ApiError, audited, Checker, isObject, issue, storageFull, validationError, type Json } from './errors.js';
import type { AutoExecuteGate, ReviewDecision, ReviewedTool, TenantCheckpoint, WriteScopeCheckpoint } from './hooks.js';
import type { AppRec, DraftRec, PreflightRec } from './store.js';
import { Store } from './store.js';
import { DAY_MS, effectiveData } from './policy.js';

const PREFLIGHT_TTL_MS = 10 * 60_000;

/**
 * Brief section 6, in order: tool known (400 action_unknown), every required scope granted (403
 * scope_denied, or what the scopeRefusal hook answers instead).
 */
function actionTool(core: Core, ctx: AgentCtx, name: string, at: WriteScopeCheckpoint): { tool: ToolDescriptor; act: DomainAction } {
  const auditAction = at === 'preflight' ? 'agent.action.preflight' : 'agent.action.request';
  const tool = findTool(core, name);
  const act = Object.hasOwn(core.domain.actions, name) ? core.domain.actions[name] : undefined;
  if (!tool || !act) throw core.hooks.unknownAction(name);
  if (core.hooks.checksWriteScopes(at) && !holdsScopes(core, ctx.app, tool)) {
    const refusal = core.hooks.scopeRefusal(name);
    auditAgent(core, ctx, { action: auditAction, status: 'denied', code: refusal.code, details: refusal.details });
    throw audited(new ApiError(refusal.code, refusal.message));
  }
  return { tool, act };
}

/**
 * The payload as stored: only the fields the tool defines. Unknown fields are accepted and ignored (the
 * authors' runtime does the same), so junk never costs memory, never enters a hash and never executes.
 */
function known(act: DomainAction, payload: Json): Json {
  const out: Json = {};
  for (const f of act.fields) if (Object.hasOwn(payload, f)) out[f] = payload[f];
  return out;
}

/**
 * A write that reads a date range (an export) under the data policy's max_days, as a read is (§6): a start
 * after the end is refused (400 action_invalid), a range wider than max_days too (403 policy_denied), and a range
 * without a start reads the default window [end − max_days, end]: its bounds are written into the payload (the
 * start from the first whole day inside the window on), so that a preflight and its action a while later hash
 * alike, and an execution approved days later reads no more than max_days.
 */
function windowed(core: Core, ctx: AgentCtx, act: DomainAction, payload: Json, at: 'preflight' | 'actions'): Json {
  if (!act.window) return payload;
  const { startField, endField, day } = act.window;
  const msOf = (v: unknown) => (typeof v === 'string' ? Date.parse(v) : null);
  const startAt = msOf(payload[startField]);
  const endAt = msOf(payload[endField]) ?? core.now();
  if (startAt !== null && startAt > endAt) {
    const refusal = core.hooks.invertedWindow(startField, endField);
    if (refusal) throw refusal;
  }
  const maxDays = core.hooks.maxDays(effectiveData(ctx.app.policy, core.domain.containerPolicyField), at);
  if (maxDays === null) return payload;
  if (startAt !== null && endAt - startAt > maxDays * DAY_MS) throw new ApiError('agent.policy_denied', `Date range exceeds ${maxDays} days`);
  // Without an end, the last moment of today (UTC): the same for every request of the day.
  const bounded = payload[endField] === undefined ? { ...payload, [endField]: new Date(Math.floor(endAt / DAY_MS) * DAY_MS + DAY_MS - 1).toISOString() } : payload;
  if (startAt !== null) return bounded;
  const start = new Date(Math.ceil((endAt - maxDays * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
  return { ...bounded, [startField]: day ? start.slice(0, 10) : start };
}

/** Resource exists, tenant boundary, data policy. */
function locate(core: Core, ctx: AgentCtx, tool: string, act: DomainAction, payload: Json, at: TenantCheckpoint): void {
  const container = act.locate(payload);
  if (!container) throw new ApiError('agent.not_found', 'Resource not found');
  checkContainer(core, ctx, container, at, tool);
}

export function preflight(core: Core, ctx: AgentCtx, body: Json): Json {
  const c = new Checker(body);
  const name = c.string('action', { required: true, nonEmpty: true });
  if (!isObject(body.payload)) c.issues.push(issue(['payload'], 'payload must be an object', 'invalid_type'));
  if (c.issues.length > 0) throw validationError(c.issues);
  const { tool, act } = actionTool(core, ctx, name!, 'preflight');
  const issues = core.hooks.payloadIssues(act, body.payload as Json);
  if (issues.length > 0) throw validationError(issues);
  const fields = known(act, body.payload as Json);
  locate(core, ctx, tool.name, act, fields, 'preflight');
  const payload = windowed(core, ctx, act, fields, 'preflight');

  const impact = core.hooks.actionImpact(tool.name, act.impact(payload));
  const witness = act.witnessed ? act.witness(payload) : undefined;
  const witnessHash = witness === undefined ? null : core.hooks.witnessHash(witness);
  const impactHash = core.hooks.impactHash(tool.name, payload, impact);
  const id = core.ids.id('pfl');
  const noRoom = core.store.roomForPreflight(ctx.app.id, core.windowNow());
  if (noRoom) throw storageFull(noRoom);
  core.store.addPreflight({
    id, appId: ctx.app.id, keyId: ctx.key.id, actor: ctx.actor, action: tool.name, payload, impactHash, witnessHash,
    expiresAt: core.windowNow() + PREFLIGHT_TTL_MS,
  });
  auditAgent(core, ctx, { action: 'agent.action.preflight', status: 'success', details: { actionType: tool.name, risk: tool.risk, impact: sensitiveRedacted(core, impact) }, ownDetails: true });
  const reply: Json = { action: tool.name, risk: tool.risk, requiresConfirmation: tool.requiresConfirmation, impact, impactHash };
  // Members in the order of the reply as specified: the witness (when there is one) before the preflightId.
  if (witness !== undefined) {
    reply.stateWitness = witness;
    reply.stateWitnessHash = witnessHash;
  }
  reply.preflightId = id;
  return reply;
}

interface GateInput { justification: string | null; idempotencyKey: string | null; preflightHash: string | null }

/** The auto-execute gates in the brief's order; the first refusal is the autoExecuteDeniedCode. */
function autoExecuteRefusal(core: Core, app: AppRec, tool: ToolDescriptor, req: GateInput, recomputedHash: string): ReasonCode | null {
  const cfg = app.auto_execute;
  const window = core.hooks.autoExecuteWindow(cfg, tool);
  // Each gate answers on its own (an absent window refuses only at `enabled`), so any order of them is well defined.
  const gates: AutoExecuteGate[] = [
    { name: 'enabled', refuse: () => (window?.enabled ? null : 'agent.auto_execute_disabled') },
    { name: 'expires_at', refuse: () => (window && core.hooks.windowExpired(window) ? 'agent.auto_execute_expired' : null) },
    { name: 'allowed_actions', refuse: () => (window && !core.hooks.windowAllows(window, tool) ? 'agent.auto_execute_denied' : null) },
  ];
  if (tool.risk === 'high') {
    gates.push(
      { name: 'justification', refuse: () => (req.justification?.trim() ? null : 'agent.action_invalid') },
      { name: 'idempotencyKey', refuse: () => ((cfg.high_risk?.require_idempotency ?? true) && !req.idempotencyKey ? 'agent.idempotency_required' : null) },
      { name: 'preflightHash', refuse: () => (!req.preflightHash && core.hooks.preflightRequired(cfg) ? 'agent.preflight_required' : null) },
    );
  }
  // A supplied hash always binds, whatever the risk: a payload changed after preflight must not execute.
  gates.push({ name: 'preflight-match', refuse: () => (req.preflightHash && !core.hooks.preflightHashMatches(req.preflightHash, recomputedHash) ? 'agent.preflight_mismatch' : null) });
  for (const gate of core.hooks.autoExecuteGates(gates, tool)) {
    const code = gate.refuse();
    if (code) return code;
  }
  return null;
}

/** Refuses a preflight that has expired or is bound to another app, key or actor. */
function expectBound(core: Core, ctx: AgentCtx, pre: PreflightRec): void {
  if (!core.hooks.preflightLive(pre, core.windowNow()) || !core.hooks.preflightBound(pre, ctx)) throw new ApiError('agent.preflight_not_found', 'Preflight not found or expired');
}

/** The preflight `id` made for `action`: live and of this app, key and actor unless `bindingLater`. */
function boundPreflight(core: Core, ctx: AgentCtx, id: string, action: string, bindingLater: boolean): PreflightRec {
  const pre = core.store.preflights.get(id);
  if (!pre) throw core.hooks.unknownPreflight();
  if (!bindingLater) expectBound(core, ctx, pre);
  if (pre.action !== action) throw new ApiError('agent.preflight_mismatch', 'Preflight was made for another action');
  return pre;
}

export async function postAction(core: Core, ctx: AgentCtx, body: Json): Promise<Json> {
  const c = new Checker(body);
  const name = c.string('action', { required: true, nonEmpty: true });
  if (body.payload !== undefined && !isObject(body.payload)) c.issues.push(issue(['payload'], 'payload must be an object', 'invalid_type'));
  const preflightId = c.string('preflightId', { nonEmpty: true });
  if (body.payload === undefined && body.preflightId === undefined) c.issues.push(issue([], 'payload or preflightId is required'));
  const execute = c.boolean('execute') ?? false;
  const forceDraft = c.boolean('forceDraft') ?? false;
  c.string('requestId', { max: 200 });
  const idempotencyKey = c.string(core.hooks.idempotencyKeyField(), { nonEmpty: true, max: 200 }) ?? null;
  const justification = c.string('justification', { max: 2000 }) ?? null;
  const preflightHash = c.string('preflightHash', { max: 128 }) ?? null;
  const stateWitnessHash = c.string('stateWitnessHash', { max: 128 }) ?? null;
  if (c.issues.length > 0) throw core.hooks.invalidActionRequest(c.issues, ctx);

  // The preflight binding comes first: a preflightId of another app, key or actor is not found, whatever its action.
  const bindingLater = core.hooks.preflightBindingAfterDraft();
  const pre = preflightId === undefined ? undefined : boundPreflight(core, ctx, preflightId, name!, bindingLater);
  const { tool, act } = actionTool(core, ctx, name!, 'actions');
  const raw = pre ? core.hooks.preflightPayload(pre) : (body.payload as Json);
  const issues = core.hooks.payloadIssues(act, raw);
  if (issues.length > 0) throw core.hooks.invalidActionRequest(issues, ctx);
  const p = windowed(core, ctx, act, known(act, raw), 'actions');
  // A preflightId is the preflight binding: it brings its impact hash (require_preflight) and its witness hash,
  // unless the request states its own.
  const binding = pre && core.hooks.preflightBinding(pre);
  const requestHash = preflightHash ?? binding?.impactHash ?? null;
  const requestWitness = stateWitnessHash ?? binding?.witnessHash ?? null;

  const fingerprint = jcs({ action: tool.name, payload: p });
  const idemScope = core.hooks.idempotencyScope(ctx.app, ctx.key);
  const idemId = idempotencyKey === null ? null : Store.idemKey(idemScope, idempotencyKey);
  if (idemId !== null) {
    const prior = core.store.idempotency.get(idemId);
    const decision = core.hooks.idempotency(prior, fingerprint, tool);
    if (decision === 'mismatch') {
      throw new ApiError('agent.idempotency_mismatch', 'Idempotency key was already used for a different request');
    }
    if (decision === 'replay') {
      const execution = prior!.execution!;
      auditAgent(core, ctx, {
        action: 'agent.action.idempotency_replay', status: 'success', code: 'agent.idempotency_replay',
        details: { executionId: execution.id, actionType: tool.name },
      });
      return { status: 'executed', replayed: true, code: 'agent.idempotency_replay', execution };
    }
    const gap = core.hooks.idempotencyReservationGap();
    if (gap) await gap;
  }

  locate(core, ctx, tool.name, act, p, 'write');
  const impact = core.hooks.actionImpact(tool.name, act.impact(p));
  const recomputedHash = core.hooks.recomputedImpactHash(tool.name, p, () => core.hooks.impactHash(tool.name, p, impact));
  const currentWitness = act.witnessed ? core.hooks.witnessHash(act.witness(p)) : null;
  if (requestWitness !== null && core.hooks.revalidatesWitness('create', tool.name)) {
    if (!act.witnessed) throw new ApiError('agent.precondition_failed', 'This action has no State Witness', { reason: 'state_witness_unsupported' });
    if (requestWitness !== currentWitness) {
      throw new ApiError('agent.precondition_failed', 'The resource changed since it was witnessed', { reason: 'state_witness_mismatch' });
    }
  }

  // Room first: a write refused at the cap stores nothing (no draft, no reservation).
  const noRoom = core.store.roomForDraft(ctx.app.id, core.now())
    ?? (idemId !== null && !core.store.idempotency.has(idemId) ? core.store.roomForIdempotency(ctx.app.id, core.now()) : null);
  if (noRoom) throw storageFull(noRoom);
  const at = core.iso();
  const draft: Draft = {
    id: core.ids.id('drf'),
    app_id: ctx.app.id,
    key_id: ctx.key.id,
    action_type: tool.name,
    payload: p,
    status: 'draft',
    requires_confirmation: tool.requiresConfirmation,
    auto_execute_requested: execute,
    justification,
    preflight_hash: core.hooks.draftPreflightHash(requestHash, recomputedHash, tool),
    preflight_state_witness_hash: core.hooks.draftWitness(stateWitnessHash, pre?.witnessHash ?? null, currentWitness),
    created_at: at,
    updated_at: at,
    confirmed_at: null,
    canceled_at: null,
  };
  const mode = core.hooks.executionMode(execute, forceDraft, body);
  const draftKey = core.hooks.draftIdempotencyKey(idempotencyKey, mode !== 'draft');
  const rec: DraftRec = { seq: core.store.seq(), createdMs: core.now(), draft, risk: tool.risk, idempotencyKey: draftKey, idempotencyScope: idemScope, fingerprint, actor: ctx.actor, executions: [] };
  core.store.addDraft(rec);
  if (pre && bindingLater) expectBound(core, ctx, pre);
  if (preflightId !== undefined && !core.hooks.preflightReusable()) core.store.deletePreflight(preflightId);

  let refusal: ReasonCode | null = null;
  if (mode === 'gated') {
    refusal = autoExecuteRefusal(core, ctx.app, tool, { justification, idempotencyKey, preflightHash: requestHash }, recomputedHash)
      ?? core.hooks.autoExecuteWitness(draft.preflight_state_witness_hash, currentWitness);
  }
  const draftDetails = { actionType: tool.name, risk: tool.risk, autoExecuteRequested: execute, autoExecuteDeniedCode: refusal };
  if (mode === 'draft' || refusal) {
    auditAgent(core, ctx, { action: 'agent.action.draft.created', status: refusal ? 'denied' : 'success', code: refusal, draft_id: draft.id, details: draftDetails });
    const reviewPath = core.hooks.reviewPath();
    return { status: 'draft', draft, autoExecuteDeniedCode: refusal, ...(reviewPath === null ? {} : { review_path: reviewPath }) };
  }

  if (idemId !== null) core.store.setIdempotency(idemId, { fingerprint, execution: null, createdMs: core.now() }, ctx.app.id);
  try {
    const execution = runDraft(core, rec, ctx, ctx.actor, !core.hooks.revalidatesWitness('auto-execute'));
    auditAgent(core, ctx, { action: 'agent.action.auto_execute.requested', status: 'success', draft_id: draft.id, details: draftDetails });
    return { status: 'executed', draft: { id: draft.id, status: draft.status }, execution };
  } finally {
    // A reservation that never produced an execution must not block a retry.
    if (idemId !== null && core.store.idempotency.get(idemId)?.execution === null) core.store.deleteIdempotency(idemId);
  }
}

function setDraftStatus(core: Core, d: Draft, status: DraftStatus): void {
  d.status = status;
  d.updated_at = core.iso();
}

/**
 * Executes a draft once: re-checks scopes and the State Witness, runs the domain action, records the
 * execution. Refusals and failures throw (already audited).
 */
export function runDraft(core: Core, rec: DraftRec, subject: Subject, performedBy: string, skipWitness: boolean): Execution {
  const d = rec.draft;
  const tool = findTool(core, d.action_type)!;
  const act = core.domain.actions[d.action_type]!;
  const app = core.store.apps.get(d.app_id)!;
  const payload = d.payload as Json;
  const auditExec = (status: 'success' | 'denied' | 'failed', code: ReasonCode | null, executionId: string | null, extra: Json = {}) =>
    auditAgent(core, subject, {
      action: 'agent.action.execute', status, code, draft_id: d.id, execution_id: executionId, performed_by_user_id: performedBy,
      details: { actionType: d.action_type, ...extra },
    });

  // Scopes first: an app that lost a scope records a failed execution; a stale witness records none.
  const scopesHeld = holdsScopes(core, app, tool);
  // A draft that bound no witness has nothing to compare it with.
  if (scopesHeld && act.witnessed && !skipWitness && d.preflight_state_witness_hash !== null && core.hooks.witnessHash(act.witness(payload)) !== d.preflight_state_witness_hash) {
    const status = core.hooks.draftStatusOnStaleWitness();
    if (status !== null) setDraftStatus(core, d, status);
    auditExec('denied', 'agent.precondition_failed', null, { reason: 'state_witness_mismatch' });
    throw audited(new ApiError('agent.precondition_failed', 'The resource changed since it was witnessed', { reason: 'state_witness_mismatch' }));
  }

  let result: Json | null = null;
  let error: { code: ReasonCode; message: string } | null = null;
  if (!scopesHeld) {
    error = { code: 'agent.scope_denied', message: 'Insufficient permissions' };
  } else {
    try {
      result = act.execute(payload, { maxExportRows: core.hooks.maxExportRows(app.auto_execute) });
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      error = core.hooks.executionError({ code: e.code, message: e.message });
    }
  }
  const at = core.iso();
  const execution: Execution = {
    draft_id: d.id,
    app_id: d.app_id,
    idempotency_key: rec.idempotencyKey,
    status: error ? 'failed' : 'success',
    result,
    error,
    id: core.ids.id('exe'),
    created_at: at,
  };
  rec.executions.push(execution);
  if (rec.idempotencyKey !== null) {
    const idemId = Store.idemKey(rec.idempotencyScope, rec.idempotencyKey);
    core.store.setIdempotency(idemId, { fingerprint: rec.fingerprint, execution, createdMs: core.store.idempotency.get(idemId)?.createdMs ?? core.now() }, d.app_id);
  }
  if (error) {
    setDraftStatus(core, d, core.hooks.draftStatusOnExecutionError());
    auditExec(error.code === 'agent.scope_denied' ? 'denied' : 'failed', error.code, execution.id);
    throw audited(new ApiError(error.code, error.message));
  }
  d.status = 'confirmed';
  d.confirmed_at = at;
  d.updated_at = at;
  auditExec('success', null, execution.id);
  return execution;
}

function adminSubject(core: Core, rec: DraftRec): Subject {
  return {
    app: core.store.apps.get(rec.draft.app_id) ?? null,
    key: core.store.keys.get(rec.draft.key_id) ?? null,
    actor: rec.actor,
    ip: null,
    userAgent: null,
    requestId: null,
    authorization: undefined,
  };
}

/** The draft `id`, still open to `decision`. */
function pendingDraft(core: Core, id: string, decision: ReviewDecision): DraftRec {
  const rec = core.store.drafts.get(id);
  if (!rec) throw new ApiError('agent.draft_not_found', 'Draft not found');
  if (!core.hooks.reviewable(rec.draft.status, decision, rec.draft.action_type, rec.draft)) throw new ApiError('agent.draft_already_final', 'Draft is not pending');
  return rec;
}

function reviewedTool(core: Core, rec: DraftRec): ReviewedTool {
  return { name: rec.draft.action_type, risk: rec.risk, witnessed: core.domain.actions[rec.draft.action_type]?.witnessed === true };
}

export function approveDraft(core: Core, id: string, admin: string, note: string | null): Json {
  const rec = pendingDraft(core, id, 'approve');
  // Approving a confirmed draft (where the reviewable hook allows it) re-runs it as it stands.
  const again = rec.draft.status === 'confirmed';
  if (rec.idempotencyKey !== null) {
    const prior = core.store.idempotency.get(Store.idemKey(rec.idempotencyScope, rec.idempotencyKey));
    if (prior?.execution && prior.execution.draft_id !== rec.draft.id) {
      throw new ApiError('agent.idempotency_mismatch', 'Idempotency key was already used by another execution');
    }
  }
  const subject = adminSubject(core, rec);
  auditAgent(core, subject, { action: 'agent.draft.approve', status: 'success', draft_id: id, performed_by_user_id: admin, details: { note } });
  const execute = (skipWitness: boolean) => runDraft(core, rec, subject, admin, skipWitness);
  const execution = core.hooks.reviewExecution('approve', execute, again || !core.hooks.revalidatesWitness('approve', rec.draft.action_type, rec.draft), reviewedTool(core, rec));
  return { draftStatus: rec.draft.status, execution };
}

export function rejectDraft(core: Core, id: string, admin: string, note: string | null): Json {
  const rec = pendingDraft(core, id, 'reject');
  const subject = adminSubject(core, rec);
  core.hooks.reviewExecution('reject', (skipWitness) => runDraft(core, rec, subject, admin, skipWitness), false, reviewedTool(core, rec));
  const at = core.iso();
  Object.assign(rec.draft, { status: 'canceled', canceled_at: at, updated_at: at });
  auditAgent(core, subject, { action: 'agent.draft.reject', status: 'success', draft_id: id, performed_by_user_id: admin, details: { note } });
  return core.hooks.rejectReply(rec.draft);
}

/** The draft as an agent may see it: only its own app's. */
export function agentDraft(core: Core, ctx: AgentCtx, id: string): Json {
  const rec = core.store.drafts.get(id);
  if (!rec || !core.hooks.draftVisible(rec.draft, ctx.app)) {
    throw new ApiError('agent.draft_not_found', 'Draft not found');
  }
  auditAgent(core, ctx, { action: 'agent.draft.read', status: 'success', draft_id: id, read: true });
  return draftView(rec);
}

export function draftView(rec: DraftRec): Json {
  return { draft: rec.draft, execution: rec.executions.at(-1) ?? null };
}

/**
 * `value` with every field the domain redacts on reads (its sensitive fields) replaced, at any depth, as a read
 * replaces it: what the runtime treats as sensitive on reads never reaches the audit log either (brief §10).
 */
function sensitiveRedacted(core: Core, value: unknown): unknown {
  return redactedCopy(core.hooks.redactions(core.domain.redactions), value);
}

/**
 * `v` itself where nothing in it is replaced (the impact is built for this request and never changed after, so
 * it is its own audit copy); else a copy in which each object or array holding a replacement, a __proto__
 * member or a non-plain object is copied (a non-plain object as a plain one, as JSON would show it) and
 * what is unchanged is shared. One pass; a copy starts only at the first member that differs.
 */
function redactedCopy(redactions: Readonly<Record<string, unknown>>, v: unknown): unknown {
  if (!v || typeof v !== 'object') return v;
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x = redactedCopy(redactions, v[i]);
      if (out === undefined && x !== v[i]) out = v.slice(0, i);
      if (out !== undefined) out.push(x);
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  const proto = Object.getPrototypeOf(o);
  let out: Record<string, unknown> | undefined = proto === Object.prototype || proto === null ? undefined : {};
  const keys = Object.keys(o);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const redacted = Object.hasOwn(redactions, k);
    const x = redacted ? redactions[k] : redactedCopy(redactions, o[k]);
    if (out === undefined && (redacted || x !== o[k] || k === '__proto__')) {
      out = {};
      for (let j = 0; j < i; j++) member(out, keys[j]!, o[keys[j]!]);
    }
    if (out !== undefined) member(out, k, x);
  }
  return out ?? v;
}

/** Sets a member; one named __proto__ stays a member, as fromEntries would keep it, not a new prototype. */
function member(out: Record<string, unknown>, k: string, x: unknown): void {
  if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
  else out[k] = x;
}
