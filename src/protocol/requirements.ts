/**
 * The requirement table of openport-conform: one stable id per requirement, never renumbered.
 * Checks cite these ids, runtime faults name the id they break, each profile holds the rows of its layer,
 * docs are generated from this table. Ids use the prefixes of the protocol brief section 12.
 */
export type Level = 'MUST' | 'SHOULD';
export type Layer = 'core' | 'write-lifecycle' | 'state-witness' | 'gate';
export const LAYERS: readonly Layer[] = ['core', 'write-lifecycle', 'state-witness'];
export const AREAS = [
  'ENV', 'AUTHN', 'DISC', 'AUTHZ', 'TENANT', 'ABAC', 'ADM', 'AUDIT', 'WRITE', 'AUTOEXEC', 'PREFLIGHT', 'IDEM',
  'WITNESS', 'FUZZ', 'GATE', 'MCP',
] as const;
export type Area = (typeof AREAS)[number];

export interface Requirement {
  id: string;
  level: Level;
  layer: Layer;
  /** One normative sentence. */
  title: string;
  /** The section of the protocol brief (and the sentence) the requirement rests on. */
  basis: string;
}

const R = (id: string, level: Level, layer: Layer, title: string, basis: string): Requirement => ({ id, level, layer, title, basis });

export const REQUIREMENTS: readonly Requirement[] = [
  // ENV — envelope, status/code consistency, no leaks
  R('ENV-001', 'MUST', 'core', 'Every agent-plane endpoint of the binding (manifest, every read tool of the target, preflight, actions, drafts/{id}) exists and answers with an OpenPort envelope.',
    '§3: the agent-plane endpoints of the binding; §4: "Content-Type application/json on every response" with the envelope'),
  R('ENV-002', 'MUST', 'core', 'Every response is a well-formed envelope: success {ok:true, code:"common.success", data}, failure {ok:false, code, message}.',
    '§4: success {ok: true, code: common.success, data}; failure {ok: false, code, message, details?}'),
  R('ENV-003', 'MUST', 'core', 'The HTTP status of every error response agrees with the registry status of its reason code.',
    '§5: the registry gives each reason code its HTTP status'),
  R('ENV-004', 'MUST', 'core', 'Every response, errors included, is served with Content-Type application/json.',
    '§4: "Content-Type application/json on every response, errors included."'),
  R('ENV-005', 'MUST', 'core', 'Error bodies never contain stack traces, file paths, SQL, tokens or secrets, and no response header echoes a secret.',
    '§4: "500 common.internal_error with a generic message — never a stack trace, file path, SQL, token or secret"'),
  R('ENV-006', 'MUST', 'core', 'A validation failure is 400 common.validation with details.issues[] of {code, path, message}.',
    '§4: "Validation failures: 400 common.validation with details.issues[] of {code, path, message}"'),
  R('ENV-007', 'MUST', 'core', 'Every admin-plane route answers with an OpenPort envelope and never a 5xx, also to a request without admin credentials.',
    '§4: failures are envelopes and 500 is for "Anything unexpected"; a request without admin credentials is a client mistake. How the admin plane authenticates is the server\'s ("a production server puts real authentication here"), so admitting such a request is only noted'),
  R('ENV-008', 'MUST', 'core', 'A malformed JSON body (truncated, trailing garbage, NaN, wrong content type, byte-order mark) on any POST or PATCH route of either plane is answered with an envelope, never a 5xx.',
    '§4 failure envelope and 500 only for the unexpected; §11: "no 5xx under malformed input, stable 4xx envelopes"'),
  R('ENV-009', 'MUST', 'core', 'Every admin-plane route of the binding (apps listed and created with their first key and token, keys issued and revoked, app revocation, policy, auto-execute, tools, drafts listed, read, approved and rejected, audit) and GET /healthz is served.',
    '§3: "Routes: GET|POST /apps (create: … → app plus first key and its token), POST /apps/{id}/keys … → key and token), POST /apps/{id}/revoke, POST /keys/{id}/revoke, PATCH /apps/{id}/policy, PATCH /apps/{id}/auto-execute, GET /apps/{id}/tools, GET /drafts?appId&status, GET /drafts/{id}, POST /drafts/{id}/approve {note?}, POST /drafts/{id}/reject {note?}, GET /audit. Plus GET /healthz."'),
  R('ENV-010', 'SHOULD', 'core', 'Every response agrees with the OpenAPI description the operator gives (run --openapi FILE; without one, envelopes are judged by the binding\'s own description, `openport-conform openapi`).',
    'not normative: the brief fixes the wire shapes (§3, §4), a published OpenAPI document restates them; a server contradicting the document its vendor publishes misleads generated clients'),
  // AUTHN — token, expiry, revocation
  R('ENV-011', 'SHOULD', 'core', 'A response is not content-coded (Content-Encoding) in a coding the request did not ask for with Accept-Encoding.',
    'not normative: the brief says nothing of content codings; §4 has "Content-Type application/json on every response", and an agent that asked for no coding expects to read that JSON as sent (RFC 9110 §12.5.3 lets a server code a response to a request without Accept-Encoding: a warning, never a failure)'),
  R('AUTHN-001', 'MUST', 'core', 'A request without a bearer token is refused with 401 agent.token_invalid on every agent route, before its body is judged.',
    '§6: "Before any handler: (1) bearer token present and well-formed" … "→ 401 token_invalid"'),
  R('AUTHN-002', 'MUST', 'core', 'A malformed Authorization header (wrong scheme, empty or garbage token) is refused with 401 agent.token_invalid.',
    '§6 (1): "bearer token present and well-formed"; §5: token_invalid [401] "missing/malformed/unknown/revoked token"'),
  R('AUTHN-003', 'MUST', 'core', 'A well-formed but unknown token is refused with 401 agent.token_invalid.',
    '§6 (2): "its hash names a live key — unknown or revoked → 401 token_invalid"'),
  R('AUTHN-004', 'MUST', 'core', 'A revoked key is refused with 401 agent.token_invalid on the very next request, on every route.',
    '§6 (2): "revocation effective on the very next request, no caching"'),
  R('AUTHN-005', 'MUST', 'core', 'An expired key, moments or long past its expiry, is refused with 401 agent.token_expired; once revoked it is 401 agent.token_invalid (step 2 before step 3).',
    '§6 (3): "key not expired → else 401 token_expired"; "deny by default, in this order"'),
  R('AUTHN-006', 'MUST', 'core', "Revoking an app revokes all of its keys: each is refused with 401 agent.token_invalid.",
    '§2: "revoking an app revokes all its keys"; §6 (4): "owning app active → else 401 token_invalid"'),
  R('AUTHN-007', 'SHOULD', 'core', 'A token presented anywhere but the Authorization header (query string, other headers) does not authenticate.',
    '§3: the agent plane authenticates with "Authorization: Bearer <agent token>" (other carriers are not forbidden in words: SHOULD)'),
  R('AUTHN-008', 'MUST', 'core', 'A key of an app without an actor is refused with 403 agent.forbidden on every agent route.',
    '§6 (5): "actor resolved → else 403 forbidden"; §5: agent.forbidden [403] "app misconfigured (no actor)"'),
  // DISC — discovery
  R('AUTHN-009', 'SHOULD', 'core', 'A key asked for with an expiresAt that is not a time is refused as a validation failure, never issued without an expiry.',
    '§2: an agent key has an "Optional expires_at"; §4: "Validation failures: 400 common.validation with details.issues[] of {code, path, message}"; the brief gives expiresAt no format, so which texts a server reads as times is its own (SHOULD)'),
  R('DISC-001', 'MUST', 'core', "A key's manifest lists exactly the tools whose required scopes its app holds (authorization-dependent discovery).",
    '§6: "VisibleTools(key) = { t | requiredScopes(t) ⊆ scopes(app) ∧ PolicyAllows(app, t) }"'),
  R('DISC-002', 'MUST', 'core', 'Every manifest tool descriptor is complete: name, description, requiredScopes[], risk low|medium|high, requiresConfirmation; write tools require confirmation.',
    '§2 Tool fields; §3: "All write tools have requiresConfirmation true."'),
  R('DISC-003', 'SHOULD', 'core', 'A tool hidden from a key is not disclosed: calling it yields 400 agent.action_unknown or 403 agent.scope_denied, never its descriptor or data.',
    '§6: "Tools a key may not call are absent from its manifest, not flagged"; calling one yields action_unknown or scope_denied (the order of §6), never its descriptor or data (non-disclosure is not spelled out: SHOULD)'),
  R('DISC-004', 'MUST', 'core', 'An unknown action is refused with 400 agent.action_unknown on preflight and actions, and nothing is created.',
    '§6: "tool known (400 action_unknown)"'),
  R('DISC-005', 'MUST', 'core', "A key's manifest describes the key's own app: data.app's id, orgId and scope are those the admin plane gave that app.",
    '§2: an agent key is "a bearer credential of one app"; §3: the manifest is "data = {app:{id,name,scope,orgId}, tools:[…]}: only the tools this key may use"'),
  // AUTHZ — scopes
  R('AUTHZ-001', 'MUST', 'core', 'A read route whose scope the app lacks is refused with 403 agent.scope_denied and returns no data.',
    '§6: "every required scope granted (403 scope_denied)"'),
  R('AUTHZ-002', 'MUST', 'core', 'A write tool whose required scopes the app does not all hold is refused on preflight and actions (scope_denied, or action_unknown when hidden) and creates nothing.',
    '§6: "every required scope granted (403 scope_denied)"; "Scopes are checked again when a draft executes"'),
  // TENANT — tenant boundary
  R('TENANT-001', 'MUST', 'core', "A key of another tenant cannot read this tenant's resources: denied (403 policy_denied or 404) with none of the resource's data; a container that does not exist is 404 not_found.",
    '§6: "resource exists (404 not_found), tenant boundary — the resource\'s tenant must equal the app\'s, verified server-side … (403 policy_denied)"'),
  R('TENANT-002', 'MUST', 'core', 'The tenant is derived server-side: client-supplied tenant ids (query, header, payload) never widen access.',
    '§6: "verified server-side, never from client-supplied tenant ids"'),
  R('TENANT-003', 'MUST', 'core', "A key of another tenant preflighting or drafting writes against this tenant's resources learns none of their data and changes nothing.",
    '§6 tenant boundary; §4: failures disclose nothing. A refusal is not required where nothing is disclosed and nothing runs'),
  R('TENANT-004', 'MUST', 'write-lifecycle', "Another tenant's write of this tenant's container or resource never executes: refused when drafted, or refused or failed once approved.",
    '§6: "tenant boundary — the resource\'s tenant must equal the app\'s, verified server-side … (403 policy_denied)"; §7: an admin approves (→ confirmed, then executed)'),
  // ABAC — IP and data policy, redaction
  R('ABAC-001', 'MUST', 'core', 'With a non-empty IP allowlist that does not match the client, every agent route is refused with 403 agent.policy_denied.',
    '§6 (6): "when policy.network.allowed_ips is non-empty the client IP must match … → else 403 policy_denied"'),
  R('ABAC-002', 'MUST', 'core', "An IP allowlist entry matching the client (exact IP or IPv4 CIDR) admits the client's requests.",
    '§6 (6): "the client IP must match an exact IP or IPv4 CIDR"'),
  R('ABAC-003', 'MUST', 'core', 'The data policy\'s container allow-list (the brief\'s allowed_ledger_ids) and allowed_org_ids are enforced: reads and writes (preflight, actions) outside them are refused with 403 agent.policy_denied.',
    '§6: "Per operation: … ABAC data policy: allowed_ledger_ids, allowed_org_ids" → 403 policy_denied'),
  R('ABAC-004', 'MUST', 'core', 'Data policy max_days is enforced: a wider date range is 403 agent.policy_denied; start after end is 400 agent.action_invalid.',
    '§6: "max_days (default date window [end − max_days, end], a wider range → 403 policy_denied; start > end → 400 action_invalid)"'),
  R('ABAC-005', 'MUST', 'core', 'With allow_sensitive_fields false, sensitive fields are redacted from read results.',
    '§6: "allow_sensitive_fields:false redacts sensitive fields"'),
  R('ABAC-006', 'SHOULD', 'core', 'A client-supplied X-Forwarded-For, X-Real-IP or Forwarded header never turns an IP-allowlist denial into an allow.',
    '§6 (6): the allowlist is matched against "the client IP"; how a server learns it behind a proxy is not specified (SHOULD: a client-supplied header is not the client IP)'),
  // ADM — admission control
  R('ADM-001', 'MUST', 'core', "Past the rate limit every request is refused with 429 agent.rate_limited in the standard envelope, the same code every time; another key's window is its own.",
    '§9: "Over the limit: 429 agent.rate_limited with the standard envelope … the same code every time"; §6: "(7) rate limit on (key, client IP)"'),
  R('ADM-002', 'MUST', 'core', 'A request refused with 429 has no side effects: no draft, execution, preflight, adapter call (resource) or audit event.',
    '§9: "no side effects (no draft, execution, preflight or adapter call is created by a refused request)"; "A refused request creates no per-request audit event"'),
  R('ADM-003', 'SHOULD', 'core', 'A 429 carries Retry-After (delta-seconds), and requests succeed again once that delay has passed.',
    '§9: "servers SHOULD send Retry-After (delta-seconds)"'),
  R('ADM-004', 'MUST', 'core', 'The rate limit counts per key and client IP: a key past its limit from one address is still admitted from another.',
    '§9: "Rate limits (and optionally quotas) per key and client IP"; §6: "(7) rate limit on (key, client IP)"'),
  // AUDIT
  R('AUDIT-001', 'MUST', 'core', 'An allowed agent operation leaves an audit event with app_id, key_id, action and status success, its actor (a workspace app\'s service user, a personal app\'s user), client ip, user agent and creation time.',
    '§10: "Fields: id, app_id, key_id, actor_user_id, performed_by_user_id, action … status success|denied|failed, code (reason code), request_id, draft_id, execution_id, ip, user_agent, details, created_at"; "structured audit events across allow, deny and fail paths, with the reason code"; §2: "scope is workspace (acts as a service user) or personal (acts as its user)"'),
  R('AUDIT-002', 'MUST', 'core', 'A scope, policy or tenant denial leaves an audit event with status denied and the reason code.',
    '§10: "structured audit events across allow, deny and fail paths, with the reason code"'),
  R('AUDIT-003', 'SHOULD', 'core', 'Failed requests of a known key (revoked or expired token, validation failure, missing resource) leave an audit event with the reason code.',
    '§10: events on fail paths; which failures of a known key are audited is not enumerated (SHOULD)'),
  R('AUDIT-004', 'MUST', 'core', 'No audit event contains an agent token, nor the value of a sensitive payload field.',
    '§10: "sensitive payload fields are redacted and tokens never appear"'),
  R('AUDIT-005', 'MUST', 'core', "Each admin-plane change of an app (creation, key creation and revocation, policy and auto-execute update, revocation) leaves an audit event of that app.",
    '§10: "structured audit events across allow, deny and fail paths" (agent_app.create, agent_key.create, agent_app.revoke, agent_key.revoke, agent_app.policy.update, agent_app.auto_execute.update)'),
  // WRITE — draft-first, approval, rejection, isolation
  R('AUDIT-006', 'SHOULD', 'core', "The audit events of a key's creation and of its revocation name that key (key_id).",
    '§10: "Fields: id, app_id, key_id, actor_user_id, performed_by_user_id, action"; "so incident analysis is deterministic"; which events fill key_id is not said (SHOULD)'),
  R('WRITE-001', 'MUST', 'write-lifecycle', 'A write without auto-execution becomes a pending draft (HTTP 200, status draft, no execution) and the domain is unchanged.',
    '§7: "Draft-first: POST /actions for any write creates a draft unless auto-execution is explicitly enabled by policy and the request asks for it"'),
  R('WRITE-002', 'MUST', 'write-lifecycle', 'Admin approval confirms the draft and executes it exactly once; the agent sees the execution at GET /drafts/{id}.',
    '§7: "an admin approves (→ confirmed, then executed)"'),
  R('WRITE-003', 'MUST', 'write-lifecycle', 'Admin rejection cancels the draft and nothing runs.',
    '§7: "or rejects (→ canceled)"'),
  R('WRITE-004', 'MUST', 'write-lifecycle', 'Approve or reject of a draft that is no longer pending is 400 agent.draft_already_final and changes nothing.',
    '§7: "Approve/reject of a draft that is no longer draft → 400 draft_already_final"'),
  R('WRITE-005', 'MUST', 'write-lifecycle', "A draft carries its payload, justification and preflight hash for every key of its app; another app's key (or an unknown id) gets 404 agent.draft_not_found, with none of its data.",
    '§5: "agent.draft_not_found [404] (missing or another app\'s)"; §2: "Carries payload, preflight hash, state-witness hash, idempotency key, justification and a snapshot of the policy in force"'),
  R('WRITE-006', 'MUST', 'write-lifecycle', 'Draft creation, approval, rejection and execution each leave an audit event carrying the draft id (and the execution id for the execution).',
    '§10: "structured audit events across allow, deny and fail paths" (agent.action.draft.created, agent.draft.approve, agent.draft.reject, agent.action.execute)'),
  R('WRITE-007', 'MUST', 'write-lifecycle', 'An execution that fails leaves its draft failed and final, an execution with status failed and an error, an audit event with status failed, and a repeated idempotencyKey replays it.',
    '§2: "draft → confirmed (approved or auto-executed) | canceled (rejected) | failed (execution error)"; "Execution (exe_…): one run of a confirmed draft; status success|failed; result or error"; §7: "A second execute with a key that already has an execution returns that execution (replayed) and runs nothing"'),
  R('WRITE-008', 'MUST', 'write-lifecycle', 'Every write tool with a sample, drafted and approved, runs once: a successful execution the draft shows, the effect its sample declares, and an audit event of the execution.',
    '§7: "Human review: an admin approves (→ confirmed, then executed)"; §10: "structured audit events across allow, deny and fail paths"'),
  // AUTOEXEC — windows and gates
  R('WRITE-009', 'SHOULD', 'write-lifecycle', "The admin drafts listing honours its filters: appId lists only that app's drafts, and status only drafts in that status.",
    '§3: the admin route "GET /drafts?appId&status" names both filters; what each selects is not spelled out (SHOULD)'),
  R('AUTOEXEC-001', 'MUST', 'write-lifecycle', 'execute:true with auto-execution disabled stays a draft (HTTP 200, autoExecuteDeniedCode agent.auto_execute_disabled) and runs nothing.',
    '§7: gate "enabled (else auto_execute_disabled)"; "Every refusal still creates a draft and returns HTTP 200"; §4: refusal "data = {status:"draft", draft, autoExecuteDeniedCode, review_path}"'),
  R('AUTOEXEC-002', 'MUST', 'write-lifecycle', 'With an enabled, unexpired window that allows the action, execute:true executes the write once and answers {status:"executed", draft:{id,status}, execution}, and the request is audited besides its execution.',
    '§7: "unless auto-execution is explicitly enabled by policy and the request asks for it (execute: true, and not forceDraft)"; §10: agent.action.auto_execute.requested'),
  R('AUTOEXEC-003', 'MUST', 'write-lifecycle', 'An expired auto-execute window refuses with agent.auto_execute_expired and runs nothing.',
    '§7: "window not expired (else auto_execute_expired)"'),
  R('AUTOEXEC-004', 'MUST', 'write-lifecycle', 'An action outside allowed_actions refuses with agent.auto_execute_denied and runs nothing.',
    '§7: "action allowed (else auto_execute_denied)"'),
  R('AUTOEXEC-005', 'MUST', 'write-lifecycle', 'forceDraft always produces a draft, even when auto-execution would allow the write.',
    '§7: "execute: true, and not forceDraft"'),
  R('AUTOEXEC-006', 'MUST', 'write-lifecycle', 'Each auto-execute refusal leaves a denied audit event carrying the refusal code.',
    '§10: deny paths are audited with the reason code'),
  R('AUTOEXEC-007', 'MUST', 'write-lifecycle', 'Enabling low/medium-risk auto-execution never enables a high-risk write: it stays a draft with agent.auto_execute_disabled.',
    '§7: "writes {enabled, expires_at, allowed_actions} for low/medium tools": high_risk has a gate of its own'),
  R('AUTOEXEC-008', 'MUST', 'write-lifecycle', 'A high-risk execute under an expired high_risk window stays a draft with agent.auto_execute_expired, and under one that does not allow its action with agent.auto_execute_denied.',
    '§7: "Gate order for a high-risk execute: enabled (else auto_execute_disabled) → window not expired (else auto_execute_expired) → action allowed (else auto_execute_denied)"'),
  R('AUTOEXEC-009', 'MUST', 'write-lifecycle', 'Where two auto-execute gates would both refuse an execute, the earlier gate of the brief\'s order answers, for low/medium and for high-risk writes.',
    '§7: "Gate order for a high-risk execute: enabled (else auto_execute_disabled) → window not expired (else auto_execute_expired) → action allowed (else auto_execute_denied) → non-empty justification (else action_invalid) → idempotencyKey present if required (else idempotency_required) → preflightHash present if required (else preflight_required)"; "Low/medium: enabled → not expired → allowed"'),
  R('AUTOEXEC-010', 'MUST', 'write-lifecycle', "An auto-executed export never delivers more rows than the high_risk tier's max_export_rows (delivering fewer, or withholding the export, are both allowed).",
    '§7: "high_risk {enabled, expires_at, require_preflight (default true), require_idempotency (default true), max_export_rows, allowed_actions}"'),
  // PREFLIGHT — impact binding
  R('PREFLIGHT-001', 'MUST', 'write-lifecycle', "The preflight reply of every write sample names the action, the tool's risk and requiresConfirmation, and its impactHash equals hex(SHA-256(JCS({action, payload, impact}))) recomputed by the client.",
    '§7: "impactHash = hex(SHA-256(JCS({action, payload, impact})))"; "A client can recompute it from the preflight response"; §3: "→ {action, risk, requiresConfirmation, impact, impactHash, stateWitness?, stateWitnessHash?, preflightId}"'),
  R('PREFLIGHT-002', 'MUST', 'write-lifecycle', 'A high-risk execute without preflightHash (preflight required) refuses with agent.preflight_required and runs nothing.',
    '§7: "preflightHash present if required (else preflight_required)"'),
  R('PREFLIGHT-003', 'MUST', 'write-lifecycle', 'A high-risk execute without a justification does not execute.',
    '§7: "non-empty justification (else action_invalid)"'),
  R('PREFLIGHT-004', 'MUST', 'write-lifecycle', 'A payload changed after preflight (stale preflightHash) refuses with agent.preflight_mismatch and runs nothing.',
    '§7: "it equals the recomputed hash (else preflight_mismatch)"; "a payload changed after preflight must not execute"'),
  R('PREFLIGHT-005', 'SHOULD', 'write-lifecycle', "A preflightId used by another app's key is refused with 400 agent.preflight_not_found.",
    '§5: preflight_not_found [400] "(unknown, expired, or bound to another app/key/actor)"; the binding must hold (MUST), the exact code is checked as SHOULD'),
  R('PREFLIGHT-006', 'MUST', 'write-lifecycle', "A preflightId never issued is refused with 400 agent.preflight_not_found, and one whose action differs from the request's action with 400 agent.preflight_mismatch.",
    '§5: "agent.preflight_not_found [400] (unknown, expired, or bound to another app/key/actor)"; "agent.preflight_mismatch [400 when the preflightId\'s action differs; otherwise an autoExecuteDeniedCode]"'),
  R('PREFLIGHT-007', 'MUST', 'write-lifecycle', "A preflightId presented by another app (acting as another user) or by another key of its app is refused and drafts nothing.",
    '§7: "preflightId lets the client re-use the exact preflighted payload; it is bound to app + key + actor"'),
  R('PREFLIGHT-008', 'MUST', 'write-lifecycle', "A delete's preflight impact describes the target row by its id and its current fields.",
    '§7: "impact is the server\'s description of what the action will do (for a delete: the target row\'s current fields)"'),
  R('PREFLIGHT-009', 'MUST', 'write-lifecycle', 'A preflightId presented after its ten minutes is refused with 400 agent.preflight_not_found and drafts nothing.',
    '§2: "Preflight record (pfl_…): an impact computation bound to app + key + actor, short-lived (10 min)"; §5: "agent.preflight_not_found [400] (unknown, expired, or bound to another app/key/actor)"'),
  // IDEM — idempotency
  R('IDEM-001', 'MUST', 'write-lifecycle', 'A high-risk execute without idempotencyKey (idempotency required) refuses with agent.idempotency_required and runs nothing.',
    '§7: "idempotencyKey present if required (else idempotency_required)"'),
  R('IDEM-002', 'MUST', 'write-lifecycle', 'Repeating an executed idempotency key returns the original execution (replayed, same execution id), runs nothing new and leaves an audit event.',
    '§7: "A second execute with a key that already has an execution returns that execution (replayed) and runs nothing"; §10: "structured audit events across allow, deny and fail paths" (agent.action.idempotency_replay)'),
  R('IDEM-003', 'MUST', 'write-lifecycle', 'N ≥ 16 concurrent identical executes with one idempotency key produce exactly one execution and one domain change.',
    '§7: "N concurrent identical requests produce exactly one execution"'),
  R('IDEM-004', 'MUST', 'write-lifecycle', 'An idempotency key re-used with a different payload never runs the new payload.',
    '§7: "Re-using a key with a different payload must never run the new payload"'),
  R('IDEM-005', 'SHOULD', 'write-lifecycle', 'An idempotency key re-used with a different payload is refused with agent.idempotency_mismatch.',
    '§7: "servers SHOULD reject it (agent.idempotency_mismatch)"'),
  // WITNESS — State Witness
  R('WITNESS-001', 'MUST', 'state-witness', 'Preflight of a witnessed tool returns stateWitness and a stateWitnessHash equal to hex(SHA-256(JCS(stateWitness))).',
    '§8: "stateWitnessHash = hex(SHA-256(JCS(stateWitness)))"'),
  R('WITNESS-002', 'MUST', 'state-witness', 'A write request carrying a stale stateWitnessHash is refused with 409 agent.precondition_failed and nothing is created.',
    '§8: "A create request that carries a stale stateWitnessHash is refused with the same 409"'),
  R('WITNESS-003', 'MUST', 'state-witness', 'A draft whose resource changed before approval fails closed at approval: 409 agent.precondition_failed, no execution, a denied audit event.',
    '§8: "on any difference it fails closed: 409 agent.precondition_failed, no execution, a denied audit event"'),
  R('WITNESS-004', 'MUST', 'state-witness', 'Auto-execution with a stale witness fails closed: 409 agent.precondition_failed (or a draft), no execution and a denied audit event.',
    '§8: "by auto-execution or by a human approval … it fails closed: 409 agent.precondition_failed, no execution, a denied audit event"'),
  R('WITNESS-005', 'SHOULD', 'state-witness', 'After a witness failure, a fresh preflight and request succeed.',
    '§8: "Recovery: the client starts over from a fresh preflight"'),
  R('WITNESS-006', 'SHOULD', 'state-witness', 'A draft whose approval failed closed on a stale witness does not read confirmed afterwards (it stays draft or becomes failed).',
    '§2: "draft → confirmed (approved or auto-executed)": a refused approval is no approval; §8 does not fix the status afterwards (SHOULD)'),
  // FUZZ — robustness under generated input
  R('FUZZ-001', 'MUST', 'core', 'Under generated and hostile input on every route, the server never answers 5xx.',
    '§4: 500 only for the unexpected; §11: "no 5xx under malformed input"'),
  R('FUZZ-002', 'MUST', 'core', 'Under generated input, every response is a well-formed envelope with a registry code whose HTTP status matches.',
    '§4 envelope; §5 registry statuses; §11: "stable 4xx envelopes"'),
  R('FUZZ-003', 'MUST', 'core', 'Under generated input, no response echoes a stack trace, file path, SQL or token.',
    '§4: "never a stack trace, file path, SQL, token or secret"'),
  R('FUZZ-004', 'MUST', 'core', 'Denied generated requests leave state unchanged (no drafts, no executions).',
    '§6: "deny by default"; a denial has no effect'),
  R('FUZZ-005', 'MUST', 'write-lifecycle', 'Stateful lifecycle model holds: no execution without approval or allowed auto-execute, at most one execution per idempotency key, a revoked key never succeeds, every operation audited.',
    '§7 draft-first, approval and idempotency; §6 revocation; §10 "structured audit events across allow, deny and fail paths"'),
  R('FUZZ-006', 'SHOULD', 'core', 'For data-independent requests (authentication, validation, unknown actions, scope denials) the target agrees with the reference runtime on status and reason code.',
    '§5/§6: data-independent answers are fixed by the registry and the authorization order; agreement with one implementation is advisory (SHOULD)'),
  R('FUZZ-007', 'MUST', 'write-lifecycle', 'Abuse regression: retry storms, stolen tokens after revocation, cross-tenant probing, payload swaps and injected instructions never widen what the server allows.',
    '§11: "retry storms, payload swaps, cross-tenant probes, stolen-after-revocation tokens, injected instructions in payloads" never widen access'),
  R('FUZZ-008', 'MUST', 'core', 'Every saved counterexample in the fuzz corpus replays without a finding.',
    '§11: "fuzz/abuse regression run inside these layers"; each saved counterexample keeps the requirement it came from'),
  // GATE — release-gate scans (run by `gate`, not by a profile)
  R('GATE-001', 'MUST', 'gate', 'Every write tool of the deployment is risk-rated and requires confirmation.',
    '§11 release gate: "every write tool risk-rated and confirmation-gated"'),
  R('GATE-002', 'MUST', 'gate', 'Enabled high-risk auto-execution requires both preflight and idempotency.',
    '§11 release gate: "high-risk tools preflight- and idempotency-gated"'),
  R('GATE-003', 'MUST', 'gate', 'Every enabled auto-execute window has an expires_at no further ahead than the configured maximum (default 24 h).',
    '§11 release gate: "auto-execute windows bounded in time"; the maximum is the operator\'s'),
  R('GATE-004', 'SHOULD', 'gate', 'Enabled high-risk auto-execution is limited to named allowed_actions.',
    '§7: high_risk {…, allowed_actions}; naming them is review practice, not a sentence of the brief (SHOULD)'),
  R('GATE-005', 'SHOULD', 'gate', 'An app holding every scope is bounded by a network or a data policy.',
    '§1: "least-privilege authorization"; no sentence requires a policy (SHOULD)'),
  R('GATE-006', 'SHOULD', 'gate', 'An app with an export scope does not allow sensitive fields.',
    '§6: allow_sensitive_fields; §1 least privilege (SHOULD)'),
  R('GATE-007', 'MUST', 'gate', 'The release tree contains no secrets found by the secret detectors (secretlint recommended preset and provider credential formats).',
    '§11 release gate: "secrets and private markers in the release tree"'),
  R('GATE-008', 'MUST', 'gate', 'The release tree contains no OpenPort credentials (agent tokens op_…, admin tokens adm_…).',
    '§11 release gate: "secrets … in the release tree"; §2: agent tokens op_ + base64url'),
  R('GATE-009', 'MUST', 'gate', 'The release tree contains no .env files.',
    '§11 release gate: "secrets and private markers in the release tree"'),
  R('GATE-010', 'MUST', 'gate', 'The release tree contains no private keys.',
    '§11 release gate: "secrets and private markers in the release tree"'),
  R('GATE-011', 'MUST', 'gate', 'The release tree contains none of the configured private markers.',
    '§11 release gate: "secrets and private markers in the release tree"'),
  R('GATE-012', 'MUST', 'gate', 'The release tree contains no SQL dumps.',
    '§11 release gate: "secrets and private markers in the release tree" (a dump carries data, and often credentials)'),

  // MCP — the MCP binding's own rules (docs/mcp-binding.md, the project's normative binding document); judged on --binding mcp only
  R('MCP-001', 'MUST', 'core', 'Every tool carries explicit annotations derived from its kind and risk: reads read-only and not destructive, writes never read-only, high-risk writes and deletes destructive.',
    'docs/mcp-binding.md D4: "Annotations MUST be set explicitly on every tool, derived from its kind and risk"'),
  R('MCP-002', 'MUST', 'core', 'The tool name is the action: an arguments.action naming another action is refused (agent.action_invalid), and a tool name the server does not have is agent.action_unknown.',
    'docs/mcp-binding.md R2: "A call whose arguments.action names another action MUST be refused with an isError result agent.action_invalid, and nothing else happens"'),
  R('MCP-003', 'MUST', 'core', 'A session belongs to the token that opened it: a request of that session with another valid token is refused.',
    'docs/mcp-binding.md T4: "a request of that session with another (valid) token MUST be refused"'),
  R('MCP-004', 'MUST', 'core', 'Credentials travel only in the Authorization header: a token in the query string of the MCP endpoint does not authenticate.',
    'docs/mcp-binding.md T3: "a token in the query string (?access_token=…) is not a credential, and the request MUST be refused as unauthenticated"'),
  R('MCP-005', 'MUST', 'core', 'A tool-level refusal is an isError result carrying the reason code (in _meta and at the start of its text, followed by a line per validation issue), not a JSON-RPC error.',
    'docs/mcp-binding.md E1: "A tool-level refusal MUST be an isError result carrying the reason code, not a JSON-RPC error"'),
  R('MCP-006', 'SHOULD', 'core', 'The MCP endpoint refuses a request whose Host header names another server (DNS rebinding).',
    'docs/mcp-binding.md T5: "The endpoint SHOULD refuse (HTTP 403) a request whose Host header does not name the server, against DNS rebinding"'),
  R('MCP-007', 'MUST', 'core', 'The MCP endpoint refuses a request whose Origin header is not an origin of the server.',
    'docs/mcp-binding.md T6: "The endpoint MUST refuse (HTTP 403) a request whose Origin header is present and is not an origin of the server"'),
  R('MCP-008', 'MUST', 'core', "A request of one key never closes or evicts another key's MCP session: session quotas are kept per key and tenant, and opening sessions past them evicts only the opener's own or is refused.",
    'docs/mcp-binding.md T7: "A request of one key MUST NOT close or evict another key\'s session"'),
  R('MCP-009', 'MUST', 'core', 'Every MCP message counts against the rate limit: past the limit, notifications and pings are refused agent.rate_limited like tool calls.',
    'docs/mcp-binding.md E3: "Rate limiting MUST apply to MCP traffic exactly as to HTTP … and every message counts"'),
  R('MCP-010', 'MUST', 'core', "JSON-RPC errors keep their codes on the MCP endpoint: -32700 for a body that is not JSON, -32602 for params the schema rejects, -32600 with HTTP 413 for a body over the cap; a protocol-level refusal is -32010 with the OpenPort refusal in error.data and its message as is.",
    'docs/mcp-binding.md E2: "A protocol-level refusal (authentication of the HTTP request, `tools/list` or `resources/read` refused) MUST be a JSON-RPC error with `code` -32010 … `message` is the OpenPort message as is. JSON-RPC\'s own errors keep their codes"'),
];

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

export function requirement(id: string): Requirement {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`unknown requirement id ${id}`);
  return r;
}

export function hasRequirement(id: string): boolean {
  return BY_ID.has(id);
}

export function areaOf(id: string): Area {
  return id.slice(0, id.lastIndexOf('-')) as Area;
}
