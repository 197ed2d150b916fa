/**
 * The clause table: the protocol brief split into atomic normative clauses, so that coverage is measured
 * against the specification rather than against our own checks. One row per thing a server can get wrong
 * on its own: each item of a list, each side of an "and", each tier and field of a configuration, each
 * route or plane a rule applies to, each part of a binding, each step of an order.
 *
 * `quote` is verbatim from the brief once backticks and double quotes are dropped and whitespace is
 * collapsed (scripts/check-brief-quotes.mjs checks it); several clauses may share the words that carry them.
 * `requirements` names the requirements whose checks judge the clause today, read from the checks
 * themselves; an empty list is a coverage gap. docs/coverage.md is generated from this table.
 *
 * Not rows: sentences that bind the conformance tool rather than a server (accept arbitrary admin headers,
 * treat unknown codes as unexpected, the project's requirement ids), choices the brief leaves open (MAY,
 * "usually", admin authentication, reserved step-up codes), the demo domain's own data (its tools, scopes,
 * payloads, read shapes and witness fields, which target files carry) and descriptive prose.
 */
import type { Level } from './requirements.js';

/** A binding a clause is confined to; a clause without `bindings` holds on every binding. */
export type ClauseBinding = 'http' | 'mcp';

export interface Clause {
  /** Stable and readable, never positional: AREA.subject[.detail], the area being a requirement prefix. */
  id: string;
  /** The brief's section, e.g. '§6'. */
  section: string;
  /** The words of the brief that carry the clause. */
  quote: string;
  level: Level;
  /** Requirement ids whose checks judge this clause; empty when none does yet. */
  requirements: readonly string[];
  bindings?: readonly ClauseBinding[];
  /**
   * Why no client can judge this clause, when none can: what the brief leaves unobservable from the outside.
   * Such a clause has no requirements and no fault; coverage is measured over the others and lists these apart.
   */
  beyondReach?: string;
}

const HTTP: readonly ClauseBinding[] = ['http'];
/** A clause no client can judge, with the reason (Clause.beyondReach). */
const beyond = (reason: string, c: Clause): Clause => ({ ...c, beyondReach: reason });
/** The MCP binding's own rules: their section is 'MCP' and their words are docs/mcp-binding.md's. */
const MCP: readonly ClauseBinding[] = ['mcp'];

const C = (id: string, section: string, level: Level, quote: string, requirements: readonly string[], bindings?: readonly ClauseBinding[]): Clause =>
  bindings ? { id, section, quote, level, requirements, bindings } : { id, section, quote, level, requirements };

const TOOL = 'Tool: name, description, requiredScopes[], risk low|medium|high, requiresConfirmation';
const DRAFT_CARRIES = 'Carries payload, preflight hash, state-witness hash, idempotency key, justification and a snapshot of the policy in force';
const MANIFEST = 'data = {app:{id,name,scope,orgId}, tools:[…]}';
const PREFLIGHT_RESPONSE = '→ {action, risk, requiresConfirmation, impact, impactHash, stateWitness?, stateWitnessHash?, preflightId}';
const POLL = '{draft, execution} (latest execution or null)';
const SUCCESS = 'Success: {ok: true, code: common.success, data: …}';
const FAILURE = 'Failure: {ok: false, code: <reason code>, message: <human text>';
const ISSUES = 'details.issues[] of {code, path, message}';
const LEAKS = 'never a stack trace, file path, SQL, token or secret';
const REFUSAL = 'data = {status:draft, draft, autoExecuteDeniedCode, review_path}';
const EXECUTED = 'Execution: data = {status:executed, draft:{id,status}, execution}';
const REPLAY = 'Idempotent replay: data = {status:executed, replayed:true, code:agent.idempotency_replay, execution}';
const DENIED_CODE = '[autoExecuteDeniedCode, HTTP 200 + draft]';
const LIVE_KEY = '(2) its hash names a live key — unknown or revoked → 401 token_invalid';
const TENANT = "the resource's tenant must equal the app's";
const CLIENT_TENANT = 'never from client-supplied tenant ids';
const VISIBLE = 'VisibleTools(key) = { t | requiredScopes(t) ⊆ scopes(app) ∧ PolicyAllows(app, t) }';
const DRAFT_FIRST = 'POST /actions for any write creates a draft';
const FINAL = 'Approve/reject of a draft that is no longer draft → 400 draft_already_final';
const WRITES_TIER = 'writes {enabled, expires_at, allowed_actions} for low/medium tools';
const IMPACT_HASH = 'impactHash = hex(SHA-256(JCS({action, payload, impact})))';
const BOUND = 'it is bound to app + key + actor';
const PER_APP = 'idempotencyKey (a body field in this binding) is scoped per app';
const WITNESS_HASH = 'stateWitnessHash = hex(SHA-256(JCS(stateWitness)))';
const FAILS_CLOSED = 'on any difference it fails closed: 409 agent.precondition_failed, no execution, a denied audit event';
const PER_KEY_IP = 'Rate limits (and optionally quotas) per key and client IP';
const SIDE_EFFECTS = 'no side effects (no draft, execution, preflight or adapter call is created by a refused request)';
const AUDIT_FIELDS = 'Fields: id, app_id, key_id, actor_user_id, performed_by_user_id, action';
const AUDIT_FIELDS_REST = 'status success|denied|failed, code (reason code), request_id, draft_id, execution_id, ip, user_agent, details, created_at';
const PATHS = 'structured audit events across allow, deny and fail paths';
const MALFORMED = 'no 5xx under malformed input';
const STABLE_4XX = 'stable 4xx envelopes';
const ABUSE = 'retry storms, payload swaps, cross-tenant probes, stolen-after-revocation tokens, injected instructions in payloads';
const TREE = 'secrets and private markers in the release tree';

export const CLAUSES: readonly Clause[] = [
  // §2 Objects
  C('AUTHN.actor.workspace', '§2', 'MUST', 'scope is workspace (acts as a service user)', ['AUDIT-001']),
  C('AUTHN.actor.personal', '§2', 'MUST', 'or personal (acts as its user)', ['AUDIT-001']),
  C('AUTHN.app-revoke.revokes-keys', '§2', 'MUST', 'revoking an app revokes all its keys', ['AUTHN-006']),
  C('AUTHN.key.expiry-readable', '§2', 'MUST', 'Optional expires_at', ['AUTHN-009']),
  C('DISC.tool.name', '§2', 'MUST', TOOL, ['DISC-002']),
  C('DISC.tool.description', '§2', 'MUST', TOOL, ['DISC-002']),
  C('DISC.tool.requiredScopes', '§2', 'MUST', TOOL, ['DISC-002', 'DISC-001']),
  C('DISC.tool.risk', '§2', 'MUST', TOOL, ['DISC-002']),
  C('DISC.tool.requiresConfirmation', '§2', 'MUST', TOOL, ['DISC-002']),
  // Judged by waiting the ten minutes out: on the run's virtual clock in-process, on the server's under --long-waits.
  C('PREFLIGHT.id.expires', '§2', 'MUST', 'short-lived (10 min)', ['PREFLIGHT-009']),
  C('WRITE.status.confirmed.approved', '§2', 'MUST', 'draft → confirmed (approved or auto-executed)', ['WRITE-002', 'WRITE-004', 'WITNESS-006']),
  C('WRITE.status.confirmed.auto-executed', '§2', 'MUST', 'draft → confirmed (approved or auto-executed)', ['AUTOEXEC-002']),
  C('WRITE.status.canceled', '§2', 'MUST', 'canceled (rejected)', ['WRITE-003', 'WRITE-004']),
  C('WRITE.status.failed', '§2', 'MUST', 'failed (execution error)', ['WRITE-007']),
  C('WRITE.draft.payload', '§2', 'MUST', DRAFT_CARRIES, ['WRITE-005', 'PREFLIGHT-005']),
  C('WRITE.draft.preflight-hash', '§2', 'MUST', DRAFT_CARRIES, ['WRITE-005']),
  // Judged by what carrying it does: a reviewed draft's approved execution is the key's execution, which a later execute replays.
  C('WRITE.draft.idempotency-key', '§2', 'MUST', DRAFT_CARRIES, ['IDEM-002']),
  C('WRITE.draft.justification', '§2', 'MUST', DRAFT_CARRIES, ['WRITE-005']),
  beyond('the brief names no member of a draft that shows the snapshot and no behaviour that depends on it',
    C('WRITE.draft.policy-snapshot', '§2', 'MUST', DRAFT_CARRIES, [])),
  C('WRITE.execution.only-confirmed', '§2', 'MUST', 'one run of a confirmed draft', ['WRITE-001', 'WRITE-003', 'WRITE-004', 'TENANT-003', 'FUZZ-005']),
  C('WRITE.execution.once', '§2', 'MUST', 'one run of a confirmed draft', ['WRITE-002', 'WRITE-004']),
  C('WRITE.execution.status', '§2', 'MUST', 'status success|failed', ['WRITE-002', 'AUTOEXEC-002']),
  C('WRITE.execution.result-or-error', '§2', 'MUST', 'result or error', ['WRITE-007']),
  C('DISC.manifest.app.is-key-app', '§2', 'MUST', 'a bearer credential of one app', ['DISC-005']),

  // §3 Endpoints: the agent plane
  C('AUTHN.carrier.bearer', '§3', 'MUST', 'Agent plane, Authorization: Bearer <agent token>', ['AUTHN-002', 'AUTHN-007'], HTTP),
  C('ENV.route.manifest', '§3', 'MUST', '/api/agent/v1/manifest', ['ENV-001'], HTTP),
  C('DISC.manifest.app.id', '§3', 'MUST', MANIFEST, ['DISC-002']),
  C('DISC.manifest.app.name', '§3', 'MUST', MANIFEST, ['DISC-002']),
  C('DISC.manifest.app.scope', '§3', 'MUST', MANIFEST, ['DISC-002']),
  C('DISC.manifest.app.orgId', '§3', 'MUST', MANIFEST, ['DISC-002']),
  C('DISC.manifest.tools', '§3', 'MUST', MANIFEST, ['DISC-001', 'DISC-002']),
  C('DISC.manifest.only-usable', '§3', 'MUST', 'only the tools this key may use', ['DISC-001']),
  C('ENV.route.ledgers', '§3', 'MUST', '/api/agent/v1/ledgers', ['ENV-001'], HTTP),
  C('ENV.route.transactions', '§3', 'MUST', '/api/agent/v1/transactions?ledgerId&startDate&endDate&page&pageSize', ['ENV-001'], HTTP),
  C('ENV.page.size-max', '§3', 'MUST', 'pageSize ≤ 200', ['ENV-006'], HTTP),
  C('ENV.page.has-more', '§3', 'MUST', '{items,total,page,pageSize,hasMore}', ['ENV-006'], HTTP),
  C('ENV.route.preflight', '§3', 'MUST', '/api/agent/v1/preflight', ['ENV-001'], HTTP),
  C('PREFLIGHT.request.body', '§3', 'MUST', 'body {action, payload}', ['ENV-006', 'PREFLIGHT-001']),
  C('PREFLIGHT.response.action', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-001']),
  C('PREFLIGHT.response.risk', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-001']),
  C('PREFLIGHT.response.requiresConfirmation', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-001']),
  C('PREFLIGHT.response.impact', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-001']),
  C('PREFLIGHT.response.impactHash', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-001']),
  C('PREFLIGHT.response.preflightId', '§3', 'MUST', PREFLIGHT_RESPONSE, ['PREFLIGHT-005', 'PREFLIGHT-006']),
  C('ENV.route.actions', '§3', 'MUST', '/api/agent/v1/actions', ['ENV-001'], HTTP),
  C('WRITE.actions.payload-or-preflightId', '§3', 'MUST', 'payload or preflightId required', ['ENV-006', 'AUDIT-003']),
  C('ENV.route.drafts', '§3', 'MUST', '/api/agent/v1/drafts/{id}', ['ENV-001'], HTTP),
  C('WRITE.poll.draft', '§3', 'MUST', POLL, ['WRITE-001', 'WRITE-002', 'WRITE-003', 'WRITE-005']),
  C('WRITE.poll.execution-null', '§3', 'MUST', POLL, ['WRITE-001', 'WRITE-003', 'AUTOEXEC-001', 'AUTOEXEC-005']),
  C('WRITE.poll.latest-execution', '§3', 'MUST', POLL, ['WRITE-002', 'WRITE-004']),
  C('DISC.tool.write-requires-confirmation', '§3', 'MUST', 'All write tools have requiresConfirmation true', ['DISC-002', 'GATE-001']),

  // §3 Endpoints: the admin plane
  C('ENV.admin.apps.list', '§3', 'MUST', 'GET|POST /apps', ['ENV-009'], HTTP),
  C('ENV.admin.apps.create', '§3', 'MUST', '→ app plus first key and its token', ['ENV-009'], HTTP),
  C('ENV.admin.keys.create', '§3', 'MUST', 'POST /apps/{id}/keys ({name?, expiresAt?} → key and token)', ['AUTHN-005', 'AUTHN-006', 'ENV-009'], HTTP),
  C('ENV.admin.apps.revoke', '§3', 'MUST', 'POST /apps/{id}/revoke', ['AUTHN-006', 'ENV-009'], HTTP),
  C('ENV.admin.keys.revoke', '§3', 'MUST', 'POST /keys/{id}/revoke', ['AUTHN-004', 'ENV-009'], HTTP),
  C('ENV.admin.policy', '§3', 'MUST', 'PATCH /apps/{id}/policy', ['ABAC-001', 'ABAC-003', 'ABAC-004', 'ABAC-005', 'ENV-009'], HTTP),
  C('ENV.admin.auto-execute', '§3', 'MUST', 'PATCH /apps/{id}/auto-execute', ['AUTOEXEC-002', 'AUTOEXEC-004', 'ENV-009'], HTTP),
  C('ENV.admin.tools', '§3', 'MUST', 'GET /apps/{id}/tools', ['ENV-009'], HTTP),
  C('ENV.admin.drafts.list', '§3', 'MUST', 'GET /drafts?appId&status', ['WRITE-001', 'ENV-009'], HTTP),
  C('WRITE.drafts-list.app', '§3', 'MUST', 'GET /drafts?appId&status', ['WRITE-009']),
  C('WRITE.drafts-list.status', '§3', 'MUST', 'GET /drafts?appId&status', ['WRITE-009']),
  C('ENV.admin.drafts.get', '§3', 'MUST', 'GET /drafts/{id}', ['ENV-009'], HTTP),
  C('ENV.admin.drafts.approve', '§3', 'MUST', 'POST /drafts/{id}/approve {note?}', ['WRITE-002', 'ENV-009'], HTTP),
  C('ENV.admin.drafts.reject', '§3', 'MUST', 'POST /drafts/{id}/reject {note?}', ['WRITE-003', 'ENV-009'], HTTP),
  C('ENV.admin.audit', '§3', 'MUST', 'GET /audit', ['AUDIT-001', 'ENV-009'], HTTP),
  C('ENV.admin.healthz', '§3', 'MUST', 'Plus GET /healthz', ['ENV-009'], HTTP),

  // §4 Envelope
  C('ENV.success.ok', '§4', 'MUST', SUCCESS, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.success.code', '§4', 'MUST', SUCCESS, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.success.data', '§4', 'MUST', SUCCESS, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.failure.ok', '§4', 'MUST', FAILURE, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.failure.code', '§4', 'MUST', FAILURE, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.failure.message', '§4', 'MUST', FAILURE, ['ENV-002', 'FUZZ-002'], HTTP),
  C('ENV.validation.code', '§4', 'MUST', 'Validation failures: 400 common.validation', ['ENV-006', 'FUZZ-006'], HTTP),
  C('ENV.validation.issues', '§4', 'MUST', ISSUES, ['ENV-006', 'ENV-008'], HTTP),
  C('ENV.validation.issue.code', '§4', 'MUST', ISSUES, ['ENV-006'], HTTP),
  C('ENV.validation.issue.path', '§4', 'MUST', ISSUES, ['ENV-006'], HTTP),
  C('ENV.validation.issue.message', '§4', 'MUST', ISSUES, ['ENV-006'], HTTP),
  C('ENV.internal-error.envelope', '§4', 'MUST', 'Anything unexpected: 500 common.internal_error', ['ENV-002', 'ENV-004', 'FUZZ-002'], HTTP),
  C('ENV.internal-error.only-unexpected.admin-credentials', '§4', 'MUST', 'Anything unexpected: 500 common.internal_error', ['ENV-007'], HTTP),
  C('ENV.no-leak.stack-trace', '§4', 'MUST', LEAKS, ['ENV-005', 'FUZZ-003']),
  C('ENV.no-leak.file-path', '§4', 'MUST', LEAKS, ['ENV-005', 'FUZZ-003']),
  C('ENV.no-leak.sql', '§4', 'MUST', LEAKS, ['ENV-005', 'FUZZ-003']),
  C('ENV.no-leak.token', '§4', 'MUST', LEAKS, ['ENV-005', 'FUZZ-003']),
  C('ENV.no-leak.secret', '§4', 'MUST', LEAKS, ['ENV-005', 'FUZZ-003']),
  C('ENV.content-type.success', '§4', 'MUST', 'Content-Type application/json on every response', ['ENV-004', 'FUZZ-002'], HTTP),
  C('ENV.content-type.errors', '§4', 'MUST', 'Content-Type application/json on every response, errors included', ['ENV-004', 'FUZZ-002'], HTTP),
  C('AUTOEXEC.refusal.http-200', '§4', 'MUST', 'Auto-execute refusals are not errors: HTTP 200', ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007'], HTTP),
  C('AUTOEXEC.refusal.status-draft', '§4', 'MUST', REFUSAL, ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007']),
  C('AUTOEXEC.refusal.draft', '§4', 'MUST', REFUSAL, ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007']),
  C('AUTOEXEC.refusal.autoExecuteDeniedCode', '§4', 'MUST', REFUSAL, ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007']),
  C('AUTOEXEC.refusal.review_path', '§4', 'MUST', REFUSAL, ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007', 'AUTOEXEC-008']),
  C('AUTOEXEC.executed.status', '§4', 'MUST', EXECUTED, ['AUTOEXEC-002']),
  C('AUTOEXEC.executed.draft', '§4', 'MUST', EXECUTED, ['AUTOEXEC-002']),
  C('AUTOEXEC.executed.execution', '§4', 'MUST', EXECUTED, ['AUTOEXEC-002', 'IDEM-002']),
  C('IDEM.replay.status', '§4', 'MUST', REPLAY, ['IDEM-002']),
  C('IDEM.replay.replayed', '§4', 'MUST', REPLAY, ['IDEM-002']),
  C('IDEM.replay.code', '§4', 'MUST', REPLAY, ['IDEM-002']),
  C('IDEM.replay.execution', '§4', 'MUST', REPLAY, ['IDEM-002']),

  // §5 Reason codes: the status each travels with, or where it is carried
  // A 3xx is no code's status: a redirect, even with an envelope in its body, is not the server's answer.
  C('ENV.no-redirect', '§5', 'MUST', 'HTTP status in brackets', ['ENV-007', 'ENV-008'], HTTP),
  C('ENV.status.token_invalid', '§5', 'MUST', 'agent.token_invalid [401]', ['AUTHN-001', 'AUTHN-003', 'ENV-003'], HTTP),
  C('ENV.status.token_expired', '§5', 'MUST', 'agent.token_expired [401]', ['AUTHN-005'], HTTP),
  C('ENV.status.forbidden', '§5', 'MUST', 'agent.forbidden [403]', ['ENV-003'], HTTP),
  C('ENV.status.scope_denied', '§5', 'MUST', 'agent.scope_denied [403]', ['AUTHZ-001', 'ENV-003'], HTTP),
  C('ENV.status.policy_denied', '§5', 'MUST', 'agent.policy_denied [403]', ['ABAC-001', 'ABAC-003', 'ENV-003'], HTTP),
  C('ENV.status.rate_limited', '§5', 'MUST', 'agent.rate_limited [429]', ['ADM-001'], HTTP),
  C('ENV.status.action_unknown', '§5', 'MUST', 'agent.action_unknown [400]', ['DISC-004', 'ENV-003'], HTTP),
  C('ENV.status.action_invalid', '§5', 'MUST', 'agent.action_invalid [400]', ['ABAC-004'], HTTP),
  C('ENV.status.not_found', '§5', 'MUST', 'agent.not_found [404]', ['ENV-003', 'FUZZ-002'], HTTP),
  C('ENV.status.draft_not_found', '§5', 'MUST', 'agent.draft_not_found [404]', ['WRITE-005', 'ENV-001'], HTTP),
  C('ENV.status.draft_already_final', '§5', 'MUST', 'agent.draft_already_final [400]', ['WRITE-004'], HTTP),
  C('ENV.status.preflight_not_found', '§5', 'MUST', 'agent.preflight_not_found [400]', ['PREFLIGHT-005'], HTTP),
  C('ENV.status.precondition_failed', '§5', 'MUST', 'agent.precondition_failed [409]', ['WITNESS-002', 'WITNESS-003'], HTTP),
  C('ENV.status.idempotency_mismatch', '§5', 'MUST', 'agent.idempotency_mismatch [409 or 422]', ['IDEM-005'], HTTP),
  C('ENV.carrier.preflight_mismatch', '§5', 'MUST', 'otherwise an autoExecuteDeniedCode', ['PREFLIGHT-004']),
  C('ENV.carrier.preflight_required', '§5', 'MUST', DENIED_CODE, ['PREFLIGHT-002']),
  C('ENV.carrier.idempotency_required', '§5', 'MUST', DENIED_CODE, ['IDEM-001']),
  C('ENV.carrier.auto_execute_disabled', '§5', 'MUST', DENIED_CODE, ['AUTOEXEC-001', 'AUTOEXEC-007']),
  C('ENV.carrier.auto_execute_denied', '§5', 'MUST', DENIED_CODE, ['AUTOEXEC-004']),
  C('ENV.carrier.auto_execute_expired', '§5', 'MUST', DENIED_CODE, ['AUTOEXEC-003']),
  C('ENV.execution_failed.sanitised', '§5', 'MUST', 'agent.execution_failed (sanitised adapter failure)', ['WRITE-007', 'ENV-005']),
  C('PREFLIGHT.id.unknown', '§5', 'MUST', 'agent.preflight_not_found [400] (unknown', ['PREFLIGHT-006']),
  C("PREFLIGHT.id.action-differs", '§5', 'MUST', "agent.preflight_mismatch [400 when the preflightId's action differs", ['PREFLIGHT-006']),
  C('WRITE.draft-isolation.other-app', '§5', 'MUST', "agent.draft_not_found [404] (missing or another app's)", ['WRITE-005', 'FUZZ-007']),
  C('WRITE.draft-isolation.missing', '§5', 'MUST', "agent.draft_not_found [404] (missing or another app's)", ['WRITE-005', 'ENV-001', 'AUDIT-003', 'WRITE-004']),
  C('WITNESS.precondition.reason', '§5', 'MUST', 'details.reason = state_witness_mismatch', ['WITNESS-002']),

  // §6 Authorization: before any handler, in this order
  C('AUTHN.order.before-handler', '§6', 'MUST', 'Before any handler', ['AUTHN-001', 'ENV-001', 'FUZZ-006']),
  C('AUTHN.order.sequence', '§6', 'MUST', 'deny by default, in this order', ['AUTHN-005', 'ADM-002']),
  C('AUTHZ.deny-by-default', '§6', 'MUST', 'deny by default', ['FUZZ-004', 'AUTHZ-002', 'DISC-004']),
  C('AUTHN.token.present', '§6', 'MUST', '(1) bearer token present and well-formed', ['AUTHN-001', 'ENV-001', 'FUZZ-006']),
  C('AUTHN.token.well-formed', '§6', 'MUST', '(1) bearer token present and well-formed', ['AUTHN-002', 'FUZZ-006']),
  C('AUTHN.token.unknown', '§6', 'MUST', LIVE_KEY, ['AUTHN-003', 'FUZZ-006']),
  C('AUTHN.token.revoked', '§6', 'MUST', LIVE_KEY, ['AUTHN-004', 'FUZZ-005', 'FUZZ-007']),
  C('AUTHN.order.revoked-next-request', '§6', 'MUST', 'revocation effective on the very next request', ['AUTHN-004', 'FUZZ-005', 'FUZZ-007']),
  C('AUTHN.order.revoked-no-caching', '§6', 'MUST', 'revocation effective on the very next request, no caching', ['AUTHN-004']),
  C('AUTHN.token.expired', '§6', 'MUST', '(3) key not expired → else 401 token_expired', ['AUTHN-005']),
  C('AUTHN.app.active', '§6', 'MUST', '(4) owning app active → else 401 token_invalid', ['AUTHN-006']),
  C('AUTHN.actor.resolved', '§6', 'MUST', '(5) actor resolved → else 403 forbidden', ['AUTHN-008']),
  C('ABAC.ip.outside-denied', '§6', 'MUST', 'the client IP must match an exact IP or IPv4 CIDR → else 403 policy_denied', ['ABAC-001', 'ABAC-006']),
  C('ABAC.ip.exact', '§6', 'MUST', 'must match an exact IP', ['ABAC-002']),
  C('ABAC.ip.ipv4-cidr', '§6', 'MUST', 'an exact IP or IPv4 CIDR', ['ABAC-001', 'ABAC-002']),
  C('ADM.order.before-handler', '§6', 'MUST', '(7) rate limit on (key, client IP) → else 429', ['ADM-001', 'ADM-002']),

  // §6 Authorization: per operation
  C('AUTHZ.tool-known', '§6', 'MUST', 'tool known (400 action_unknown)', ['DISC-004', 'FUZZ-006']),
  C('AUTHZ.scope.read', '§6', 'MUST', 'every required scope granted (403 scope_denied)', ['AUTHZ-001']),
  C('AUTHZ.scope.preflight', '§6', 'MUST', 'every required scope granted (403 scope_denied)', ['AUTHZ-002', 'DISC-003']),
  C('AUTHZ.scope.actions', '§6', 'MUST', 'every required scope granted (403 scope_denied)', ['AUTHZ-002', 'DISC-003', 'FUZZ-004']),
  C('AUTHZ.scope.every-required', '§6', 'MUST', 'every required scope granted', ['AUTHZ-002', 'DISC-001']),
  beyond("no route of §3 changes an app's scopes after its creation, so a client cannot take a scope away between a draft and its execution",
    C('AUTHZ.scope.on-execute', '§6', 'MUST', 'Scopes are checked again when a draft executes', [])),
  C('TENANT.resource-exists', '§6', 'MUST', 'resource exists (404 not_found)', ['TENANT-001']),
  C('TENANT.boundary.read', '§6', 'MUST', TENANT, ['TENANT-001', 'FUZZ-007']),
  C('TENANT.boundary.preflight', '§6', 'MUST', TENANT, ['TENANT-003', 'FUZZ-007']),
  C('TENANT.boundary.actions', '§6', 'MUST', TENANT, ['TENANT-003', 'TENANT-004', 'FUZZ-007']),
  C('TENANT.boundary.policy_denied', '§6', 'MUST', 'never from client-supplied tenant ids (403 policy_denied)', ['TENANT-001']),
  C('TENANT.server-side', '§6', 'MUST', 'verified server-side', ['TENANT-001', 'TENANT-002']),
  C('TENANT.client-ids.query', '§6', 'MUST', CLIENT_TENANT, ['TENANT-002']),
  C('TENANT.client-ids.header', '§6', 'MUST', CLIENT_TENANT, ['TENANT-002', 'FUZZ-007']),
  C('TENANT.client-ids.payload', '§6', 'MUST', CLIENT_TENANT, ['TENANT-003', 'TENANT-002']),
  C('ABAC.data.containers.read', '§6', 'MUST', 'ABAC data policy: allowed_ledger_ids', ['ABAC-003']),
  C('ABAC.data.containers.write', '§6', 'MUST', 'ABAC data policy: allowed_ledger_ids', ['ABAC-003']),
  C('ABAC.data.orgs.read', '§6', 'MUST', 'allowed_org_ids', ['ABAC-003']),
  C('ABAC.data.orgs.write', '§6', 'MUST', 'allowed_org_ids', ['ABAC-003']),
  C('ABAC.data.max_days.default-window', '§6', 'MUST', 'default date window [end − max_days, end]', ['ABAC-004']),
  C('ABAC.data.max_days.wider-denied', '§6', 'MUST', 'a wider range → 403 policy_denied', ['ABAC-004']),
  C('ABAC.data.start-after-end', '§6', 'MUST', 'start > end → 400 action_invalid', ['ABAC-004']),
  C('ABAC.data.redact-sensitive', '§6', 'MUST', 'allow_sensitive_fields:false redacts sensitive fields', ['ABAC-005']),
  C('DISC.visible.scopes', '§6', 'MUST', VISIBLE, ['DISC-001']),
  beyond('the brief defines no policy that withholds a whole tool (the network policy refuses every request, the data policy narrows data), so PolicyAllows(app, t) shows nothing a client could set and observe',
    C('DISC.visible.policy', '§6', 'MUST', VISIBLE, [])),
  C('DISC.hidden.absent', '§6', 'MUST', 'Tools a key may not call are absent from its manifest, not flagged', ['DISC-001', 'DISC-003']),

  // §7 Writes: draft-first and human review
  C('WRITE.draft-first.create', '§7', 'MUST', DRAFT_FIRST, ['WRITE-001', 'FUZZ-005']),
  C('WRITE.draft-first.update', '§7', 'MUST', DRAFT_FIRST, ['WRITE-001']),
  C('WRITE.draft-first.high-risk', '§7', 'MUST', DRAFT_FIRST, ['WRITE-001']),
  C('AUTOEXEC.request.enabled-by-policy', '§7', 'MUST', 'unless auto-execution is explicitly enabled by policy', ['AUTOEXEC-001', 'WRITE-001']),
  C('AUTOEXEC.request.execute-true', '§7', 'MUST', 'and the request asks for it (execute: true', ['FUZZ-005', 'AUTOEXEC-002']),
  C('AUTOEXEC.request.not-forceDraft', '§7', 'MUST', 'and not forceDraft', ['AUTOEXEC-005', 'FUZZ-005']),
  C('AUTOEXEC.request.executes', '§7', 'MUST', 'unless auto-execution is explicitly enabled by policy and the request asks for it', ['AUTOEXEC-002']),
  C('WRITE.approve.executes', '§7', 'MUST', 'an admin approves (→ confirmed, then executed)', ['WRITE-002', 'WITNESS-005', 'WRITE-008']),
  C('WRITE.final.approve-confirmed', '§7', 'MUST', FINAL, ['WRITE-004', 'FUZZ-005']),
  C('WRITE.final.reject-confirmed', '§7', 'MUST', FINAL, ['WRITE-004', 'FUZZ-005']),
  C('WRITE.final.approve-canceled', '§7', 'MUST', FINAL, ['WRITE-004', 'FUZZ-005']),
  C('WRITE.final.reject-canceled', '§7', 'MUST', FINAL, ['WRITE-004', 'FUZZ-005']),
  C('WRITE.final.approve-failed', '§7', 'MUST', FINAL, ['WRITE-004', 'WRITE-007']),
  C('WRITE.final.reject-failed', '§7', 'MUST', FINAL, ['WRITE-004', 'WRITE-007']),

  // §7 Writes: time-bounded auto-execution, tier by tier and gate by gate
  C('AUTOEXEC.writes.enabled', '§7', 'MUST', WRITES_TIER, ['AUTOEXEC-001', 'AUTOEXEC-002']),
  C('AUTOEXEC.writes.expires_at', '§7', 'MUST', WRITES_TIER, ['AUTOEXEC-003']),
  C('AUTOEXEC.writes.allowed_actions', '§7', 'MUST', WRITES_TIER, ['AUTOEXEC-004']),
  C('AUTOEXEC.writes.low-medium-only', '§7', 'MUST', 'for low/medium tools', ['AUTOEXEC-007']),
  C('AUTOEXEC.writes.gate-order', '§7', 'MUST', 'Low/medium: enabled → not expired → allowed', ['AUTOEXEC-009']),
  C('AUTOEXEC.high_risk.enabled', '§7', 'MUST', 'enabled (else auto_execute_disabled)', ['AUTOEXEC-007', 'AUTOEXEC-009']),
  C('AUTOEXEC.high_risk.expires_at', '§7', 'MUST', 'window not expired (else auto_execute_expired)', ['AUTOEXEC-008']),
  C('AUTOEXEC.high_risk.allowed_actions', '§7', 'MUST', 'action allowed (else auto_execute_denied)', ['AUTOEXEC-008']),
  C('AUTOEXEC.high_risk.require_preflight', '§7', 'MUST', 'require_preflight (default true)', ['PREFLIGHT-002']),
  C('AUTOEXEC.high_risk.require_idempotency', '§7', 'MUST', 'require_idempotency (default true)', ['IDEM-001']),
  C('AUTOEXEC.high_risk.max_export_rows', '§7', 'MUST', 'max_export_rows', ['AUTOEXEC-010']),
  C('AUTOEXEC.high_risk.justification', '§7', 'MUST', 'non-empty justification (else action_invalid)', ['PREFLIGHT-003']),
  C('IDEM.gate.key-present', '§7', 'MUST', 'idempotencyKey present if required (else idempotency_required)', ['IDEM-001']),
  C('PREFLIGHT.gate.hash-present', '§7', 'MUST', 'preflightHash present if required (else preflight_required)', ['PREFLIGHT-002']),
  C('PREFLIGHT.gate.hash-equal', '§7', 'MUST', 'it equals the recomputed hash (else preflight_mismatch)', ['PREFLIGHT-004', 'FUZZ-007']),
  C('AUTOEXEC.high_risk.gate-order', '§7', 'MUST', 'Gate order for a high-risk execute', ['AUTOEXEC-009']),
  C('AUTOEXEC.refusal.creates-draft', '§7', 'MUST', 'Every refusal still creates a draft', ['AUTOEXEC-001', 'AUTOEXEC-003', 'AUTOEXEC-004', 'AUTOEXEC-007']),

  // §7 Writes: preflight impact binding
  C('PREFLIGHT.hash.binds-action', '§7', 'MUST', IMPACT_HASH, ['PREFLIGHT-001']),
  C('PREFLIGHT.hash.binds-payload', '§7', 'MUST', IMPACT_HASH, ['PREFLIGHT-001']),
  C('PREFLIGHT.hash.binds-impact', '§7', 'MUST', IMPACT_HASH, ['PREFLIGHT-001']),
  C('PREFLIGHT.hash.jcs', '§7', 'MUST', 'where JCS is the RFC 8785 JSON Canonicalization Scheme', ['PREFLIGHT-001']),
  C('PREFLIGHT.hash.sha256-hex', '§7', 'MUST', IMPACT_HASH, ['PREFLIGHT-001']),
  C('PREFLIGHT.impact.delete-row', '§7', 'MUST', "for a delete: the target row's current fields", ['PREFLIGHT-008']),
  C('PREFLIGHT.hash.client-recomputable', '§7', 'MUST', 'A client can recompute it from the preflight response', ['PREFLIGHT-001']),
  C('PREFLIGHT.execute.recomputes', '§7', 'MUST', 'At execute the server recomputes the impact from the submitted payload', ['PREFLIGHT-004']),
  C('PREFLIGHT.execute.changed-payload', '§7', 'MUST', 'a payload changed after preflight must not execute', ['PREFLIGHT-004', 'FUZZ-007']),
  C('PREFLIGHT.id.reuse', '§7', 'MUST', 'preflightId lets the client re-use the exact preflighted payload', ['PREFLIGHT-005', 'PREFLIGHT-006']),
  C('PREFLIGHT.binding.app', '§7', 'MUST', BOUND, ['PREFLIGHT-005', 'PREFLIGHT-007', 'FUZZ-007']),
  C('PREFLIGHT.binding.key', '§7', 'MUST', BOUND, ['PREFLIGHT-005', 'PREFLIGHT-007']),
  // An app's actor is fixed by the app (§2), so from outside the actor is judged together with another app's presentation.
  C('PREFLIGHT.binding.actor', '§7', 'MUST', BOUND, ['PREFLIGHT-007']),

  // §7 Writes: idempotency
  C('IDEM.key.body-field', '§7', 'MUST', PER_APP, ['IDEM-002'], HTTP),
  C('IDEM.scope.same-app', '§7', 'MUST', PER_APP, ['IDEM-002', 'IDEM-004']),
  C('IDEM.scope.other-app', '§7', 'MUST', PER_APP, ['IDEM-002']),
  C('IDEM.replay.returns-execution', '§7', 'MUST', 'returns that execution (replayed)', ['IDEM-002', 'FUZZ-005', 'WRITE-007']),
  C('IDEM.replay.runs-nothing', '§7', 'MUST', 'returns that execution (replayed) and runs nothing', ['IDEM-002', 'FUZZ-005']),
  C('IDEM.concurrent.one-execution', '§7', 'MUST', 'N concurrent identical requests produce exactly one execution', ['IDEM-003', 'FUZZ-005']),
  C('IDEM.mismatch.never-runs-new', '§7', 'MUST', 'Re-using a key with a different payload must never run the new payload', ['IDEM-004', 'IDEM-005']),
  C('IDEM.mismatch.reject', '§7', 'SHOULD', 'servers SHOULD reject it (agent.idempotency_mismatch)', ['IDEM-005']),

  // §8 State Witness profile
  beyond("a recommendation to adopt the profile, not a rule per tool: the brief's own high-risk export has an impact and no witness, so a warning on an unwitnessed high-risk tool would warn on the brief's own example",
    C('WITNESS.profile.high-risk', '§8', 'SHOULD', 'recommended for high-risk writes', [])),
  C('WITNESS.preflight.returns-witness', '§8', 'MUST', 'For witnessed tools, preflight returns stateWitness', ['WITNESS-001']),
  beyond("the brief names no secret of a resource that a witness could carry: a token in any answer is ENV.no-leak.token's, and a resource's sensitive fields are the data policy's redaction, not a secret",
    C('WITNESS.witness.non-secret', '§8', 'MUST', 'a minimal, non-secret snapshot', [])),
  C('WITNESS.witness.tracks-version', '§8', 'MUST', "snapshot of the target resource's version", ['WITNESS-002', 'WITNESS-003']),
  C('WITNESS.hash.jcs', '§8', 'MUST', WITNESS_HASH, ['WITNESS-001']),
  C('WITNESS.hash.sha256-hex', '§8', 'MUST', WITNESS_HASH, ['WITNESS-001']),
  C('WITNESS.draft-binds.from-request', '§8', 'MUST', 'A draft binds the witness hash (from the request', ['WITNESS-003', 'WITNESS-004']),
  C('WITNESS.draft-binds.from-preflight', '§8', 'MUST', 'from the preflight', ['WITNESS-004']),
  C('WITNESS.draft-binds.at-creation', '§8', 'MUST', 'or computed at draft creation', ['WITNESS-003', 'FUZZ-005']),
  C('WITNESS.recompute.auto-execute', '§8', 'MUST', 'When the draft executes — by auto-execution', ['WITNESS-004']),
  C('WITNESS.recompute.approval', '§8', 'MUST', 'or by a human approval minutes or days later', ['WITNESS-003', 'FUZZ-005']),
  C('WITNESS.fail-closed.approval.refused-409', '§8', 'MUST', FAILS_CLOSED, ['WITNESS-003']),
  C('WITNESS.fail-closed.approval.no-execution', '§8', 'MUST', FAILS_CLOSED, ['WITNESS-003', 'FUZZ-005']),
  C('WITNESS.fail-closed.approval.denied-audit', '§8', 'MUST', FAILS_CLOSED, ['WITNESS-003']),
  beyond("the brief gives an auto-execution refused for drift two answers (§7: every auto-execute refusal is HTTP 200 with a draft; §8: 409), and a stale stateWitnessHash is refused at creation already (WITNESS.create.stale-refused), so no other answer can be produced without breaking that rule instead",
    C('WITNESS.fail-closed.auto-execute.refused-409', '§8', 'MUST', FAILS_CLOSED, [])),
  C('WITNESS.fail-closed.auto-execute.no-execution', '§8', 'MUST', FAILS_CLOSED, ['WITNESS-004']),
  C('WITNESS.fail-closed.auto-execute.denied-audit', '§8', 'MUST', FAILS_CLOSED, ['WITNESS-004']),
  C('WITNESS.create.stale-refused', '§8', 'MUST', 'A create request that carries a stale stateWitnessHash is refused with the same 409', ['WITNESS-002']),
  C('WITNESS.recovery', '§8', 'MUST', 'Recovery: the client starts over from a fresh preflight', ['WITNESS-005']),

  // §9 Admission control
  C('ADM.limit.per-key.spans-routes', '§9', 'MUST', PER_KEY_IP, ['ADM-001']),
  C('ADM.limit.per-key.isolated', '§9', 'MUST', PER_KEY_IP, ['ADM-001']),
  C('ADM.limit.per-client-ip', '§9', 'MUST', PER_KEY_IP, ['ADM-004']),
  C('ADM.refused.code', '§9', 'MUST', 'Over the limit: 429 agent.rate_limited', ['ADM-001', 'FUZZ-007']),
  C('ADM.refused.envelope', '§9', 'MUST', 'with the standard envelope', ['ADM-001']),
  C('ADM.refused.same-code', '§9', 'MUST', 'the same code every time', ['ADM-001', 'FUZZ-007']),
  C('ADM.refused.no-draft', '§9', 'MUST', SIDE_EFFECTS, ['ADM-002', 'FUZZ-007']),
  C('ADM.refused.no-execution', '§9', 'MUST', SIDE_EFFECTS, ['ADM-002']),
  C('ADM.refused.no-preflight', '§9', 'MUST', SIDE_EFFECTS, ['ADM-002']),
  C('ADM.refused.no-adapter-call', '§9', 'MUST', SIDE_EFFECTS, ['ADM-002']),
  C('ADM.refused.retry-after', '§9', 'SHOULD', 'servers SHOULD send Retry-After (delta-seconds)', ['ADM-003'], HTTP),
  C('ADM.refused.no-audit', '§9', 'MUST', 'A refused request creates no per-request audit event', ['ADM-002']),

  // §10 Audit events: fields
  C('AUDIT.field.id', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001', 'AUDIT-002']),
  C('AUDIT.field.app_id', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001', 'AUDIT-002']),
  C('AUDIT.field.key_id', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001']),
  C('AUDIT.field.key_id.key-changes', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-006']),
  C('AUDIT.field.actor_user_id', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001']),
  C('AUDIT.field.performed_by_user_id', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001', 'WRITE-006']),
  C('AUDIT.field.action', '§10', 'MUST', AUDIT_FIELDS, ['AUDIT-001']),
  C('AUDIT.field.status', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001', 'AUDIT-002']),
  // Judged by its type where it is given (a string, or null): it may be null or left out, and the brief does not say where its value comes from.
  C('AUDIT.field.request_id', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001']),
  C('AUDIT.field.draft_id', '§10', 'MUST', AUDIT_FIELDS_REST, ['WRITE-006', 'AUTOEXEC-006']),
  C('AUDIT.field.execution_id', '§10', 'MUST', AUDIT_FIELDS_REST, ['WRITE-006']),
  C('AUDIT.field.ip', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001']),
  C('AUDIT.field.user_agent', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001']),
  // Judged by its type where it is given (an object, or null): it may be null or left out, and the brief does not say what it holds.
  C('AUDIT.field.details', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001']),
  C('AUDIT.field.created_at', '§10', 'MUST', AUDIT_FIELDS_REST, ['AUDIT-001']),

  // §10 Audit events: which operations leave one
  C('AUDIT.allow.read', '§10', 'MUST', 'agent.ledger.list', ['AUDIT-001']),
  C('AUDIT.allow.preflight', '§10', 'MUST', 'agent.action.preflight', ['AUDIT-001']),
  C('AUDIT.allow.draft-created', '§10', 'MUST', 'agent.action.draft.created', ['WRITE-006', 'FUZZ-005']),
  C('AUDIT.allow.auto-execute-requested', '§10', 'MUST', 'agent.action.auto_execute.requested', ['FUZZ-005', 'AUTOEXEC-002']),
  C('AUDIT.allow.idempotency-replay', '§10', 'MUST', 'agent.action.idempotency_replay', ['IDEM-002', 'FUZZ-005']),
  C('AUDIT.allow.execute', '§10', 'MUST', 'agent.action.execute', ['WRITE-006']),
  C('AUDIT.allow.approve', '§10', 'MUST', 'agent.draft.approve', ['WRITE-006']),
  C('AUDIT.allow.reject', '§10', 'MUST', 'agent.draft.reject', ['WRITE-006']),
  C('AUDIT.admin.app-create', '§10', 'MUST', 'agent_app.create', ['AUDIT-005']),
  C('AUDIT.admin.key-create', '§10', 'MUST', 'agent_key.create', ['AUDIT-005']),
  C('AUDIT.admin.app-revoke', '§10', 'MUST', 'agent_app.revoke', ['AUDIT-005']),
  C('AUDIT.admin.key-revoke', '§10', 'MUST', 'agent_key.revoke', ['AUDIT-005']),
  C('AUDIT.admin.policy-update', '§10', 'MUST', 'agent_app.policy.update', ['AUDIT-005']),
  C('AUDIT.admin.auto-execute-update', '§10', 'MUST', 'agent_app.auto_execute.update', ['AUDIT-005']),

  // §10 Audit events: paths, codes, redaction
  C('AUDIT.deny.authz', '§10', 'MUST', PATHS, ['AUDIT-002']),
  C('AUDIT.deny.auto-execute', '§10', 'MUST', PATHS, ['AUTOEXEC-006']),
  C('AUDIT.fail', '§10', 'MUST', PATHS, ['AUDIT-003']),
  C('AUDIT.reason-code', '§10', 'MUST', 'with the reason code', ['AUDIT-002', 'AUDIT-003', 'AUTOEXEC-006', 'AUTOEXEC-009', 'WRITE-007']),
  C('AUDIT.redact-sensitive', '§10', 'MUST', 'sensitive payload fields are redacted', ['AUDIT-004', 'WRITE-006']),
  C('AUDIT.no-token', '§10', 'MUST', 'tokens never appear', ['AUDIT-004']),

  // §11 Negative tests and abuse regression
  C('FUZZ.no-5xx.agent.json-body', '§11', 'MUST', MALFORMED, ['ENV-008', 'FUZZ-001', 'FUZZ-008'], HTTP),
  C('FUZZ.no-5xx.agent.query-string', '§11', 'MUST', MALFORMED, ['FUZZ-001'], HTTP),
  C('FUZZ.no-5xx.agent.headers', '§11', 'MUST', MALFORMED, ['FUZZ-001', 'AUTHN-002'], HTTP),
  C('FUZZ.no-5xx.admin.json-body', '§11', 'MUST', MALFORMED, ['ENV-008', 'FUZZ-001'], HTTP),
  C('FUZZ.no-5xx.admin.query-string', '§11', 'MUST', MALFORMED, ['FUZZ-001'], HTTP),
  C('FUZZ.stable-4xx.agent', '§11', 'MUST', STABLE_4XX, ['ENV-002', 'FUZZ-002', 'FUZZ-008'], HTTP),
  C('FUZZ.stable-4xx.admin', '§11', 'MUST', STABLE_4XX, ['ENV-002', 'ENV-007', 'FUZZ-002'], HTTP),
  C('FUZZ.abuse.retry-storm', '§11', 'MUST', ABUSE, ['FUZZ-007']),
  C('FUZZ.abuse.payload-swap', '§11', 'MUST', ABUSE, ['FUZZ-007']),
  C('FUZZ.abuse.cross-tenant', '§11', 'MUST', ABUSE, ['FUZZ-007']),
  C('FUZZ.abuse.stolen-token', '§11', 'MUST', ABUSE, ['FUZZ-007']),
  C('FUZZ.abuse.injected-instructions', '§11', 'MUST', ABUSE, ['FUZZ-007']),

  // §11 Release gate
  C('GATE.tree.secrets', '§11', 'MUST', TREE, ['GATE-007', 'GATE-008', 'GATE-009', 'GATE-010', 'GATE-012']),
  C('GATE.tree.private-markers', '§11', 'MUST', TREE, ['GATE-011']),
  C('GATE.deploy.write-risk-rated', '§11', 'MUST', 'every write tool risk-rated and confirmation-gated', ['GATE-001']),
  C('GATE.deploy.write-confirmation-gated', '§11', 'MUST', 'every write tool risk-rated and confirmation-gated', ['GATE-001']),
  C('GATE.deploy.high-risk-preflight-gated', '§11', 'MUST', 'high-risk tools preflight- and idempotency-gated', ['GATE-002']),
  C('GATE.deploy.high-risk-idempotency-gated', '§11', 'MUST', 'high-risk tools preflight- and idempotency-gated', ['GATE-002']),
  C('GATE.deploy.windows-bounded', '§11', 'MUST', 'auto-execute windows bounded in time', ['GATE-003']),

  // The MCP binding (docs/mcp-binding.md): its own rules, on --binding mcp only
  C('MCP.annotations.explicit', 'MCP', 'MUST', 'Annotations MUST be set explicitly on every tool', ['MCP-001'], MCP),
  C('MCP.annotations.write-not-read-only', 'MCP', 'MUST', 'a write is never read-only', ['MCP-001'], MCP),
  C('MCP.annotations.high-risk-destructive', 'MCP', 'MUST', 'its destructiveHint is true when its risk is high or it deletes', ['MCP-001'], MCP),
  C('MCP.call.tool-is-action', 'MCP', 'MUST', 'A call whose arguments.action names another action MUST be refused with an isError result agent.action_invalid', ['MCP-002'], MCP),
  C('MCP.call.unknown-tool-32602', 'MCP', 'MUST', "a name the server has no tool for is MCP's unknown-tool error, JSON-RPC -32602", ['MCP-002'], MCP),
  C('MCP.call.hidden-tool-code', 'MCP', 'MUST', 'refused with the code the HTTP binding gives', ['AUTHZ-001', 'AUDIT-002'], MCP),
  C('MCP.session.token-bound', 'MCP', 'MUST', 'a request of that session with another (valid) token MUST be refused', ['MCP-003'], MCP),
  C('MCP.credential.header-only', 'MCP', 'MUST', 'a token in the query string (?access_token=…) is not a credential', ['MCP-004'], MCP),
  C('MCP.refusal.bearer-challenge', 'MCP', 'MUST', 'WWW-Authenticate: Bearer on 401', ['MCP-004'], MCP),
  C('MCP.refusal.is-error', 'MCP', 'MUST', 'A tool-level refusal MUST be an isError result carrying the reason code, not a JSON-RPC error', ['MCP-005'], MCP),
  C('MCP.refusal.text-issues', 'MCP', 'MUST', 'followed by one line - <path>: <message> (<issue code>) per validation issue', ['MCP-005'], MCP),
  C('MCP.host.checked', 'MCP', 'SHOULD', 'The endpoint SHOULD refuse (HTTP 403) a request whose Host header does not name the server', ['MCP-006'], MCP),
  C('MCP.origin.checked', 'MCP', 'MUST', 'The endpoint MUST refuse (HTTP 403) a request whose Origin header is present and is not an origin of the server', ['MCP-007'], MCP),
  C('MCP.session.no-cross-key-eviction', 'MCP', 'MUST', "A request of one key MUST NOT close or evict another key's session", ['MCP-008'], MCP),
  C('MCP.rate-limit.every-message', 'MCP', 'MUST', 'every message counts: initialize, notifications, pings and stream requests as well as tool calls', ['MCP-009'], MCP),
  C('MCP.error.message-as-is', 'MCP', 'MUST', 'MUST be a JSON-RPC error with code -32010 and error.data = {code, message, details?, retryAfter?}; message is the OpenPort message as is', ['MCP-010'], MCP),
  C('MCP.error.parse-32700', 'MCP', 'MUST', "JSON-RPC's own errors keep their codes: -32700 for a body that is not JSON", ['MCP-010'], MCP),
  C('MCP.error.params-32602', 'MCP', 'MUST', "-32602 for params the request's schema rejects", ['MCP-010'], MCP),
  C('MCP.error.oversized-32600', 'MCP', 'MUST', "-32600 with HTTP 413 for a body over the server's cap (error.data.code common.validation)", ['MCP-010'], MCP),
];

const BY_ID = new Map(CLAUSES.map((c) => [c.id, c]));

export function clause(id: string): Clause {
  const c = BY_ID.get(id);
  if (!c) throw new Error(`unknown clause id ${id}`);
  return c;
}
