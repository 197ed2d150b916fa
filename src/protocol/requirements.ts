/**
 * The requirement table of openport-conform: one stable id per requirement, never renumbered.
 * Checks cite these ids, runtime faults name the id they break, profiles list them, docs are generated
 * from this table. Ids use the prefixes of the protocol brief section 12.
 */
export type Level = 'MUST' | 'SHOULD';
export type Layer = 'core' | 'write-lifecycle' | 'state-witness';
export const LAYERS: readonly Layer[] = ['core', 'write-lifecycle', 'state-witness'];
export const AREAS = [
  'ENV', 'AUTHN', 'DISC', 'AUTHZ', 'TENANT', 'ABAC', 'ADM', 'AUDIT', 'WRITE', 'AUTOEXEC', 'PREFLIGHT', 'IDEM',
  'WITNESS', 'FUZZ', 'GATE',
] as const;
export type Area = (typeof AREAS)[number];

export interface Requirement {
  id: string;
  level: Level;
  layer: Layer;
  /** One normative sentence. */
  title: string;
}

const R = (id: string, level: Level, layer: Layer, title: string): Requirement => ({ id, level, layer, title });

export const REQUIREMENTS: readonly Requirement[] = [
  // ENV — envelope, status/code consistency, no leaks
  R('ENV-001', 'MUST', 'core', 'Every agent-plane endpoint of the binding (manifest, ledgers, transactions, preflight, actions, drafts/{id}) exists and answers with an OpenPort envelope.'),
  R('ENV-002', 'MUST', 'core', 'Every response is a well-formed envelope: success {ok:true, code:"common.success", data}, failure {ok:false, code, message}.'),
  R('ENV-003', 'MUST', 'core', 'The HTTP status of every error response agrees with the registry status of its reason code.'),
  R('ENV-004', 'MUST', 'core', 'Every response, errors included, is served with Content-Type application/json.'),
  R('ENV-005', 'MUST', 'core', 'Error bodies never contain stack traces, file paths, SQL, tokens or secrets, and no response header echoes a secret.'),
  R('ENV-006', 'MUST', 'core', 'A validation failure is 400 common.validation with details.issues[] of {code, path, message}.'),
  // AUTHN — token, expiry, revocation
  R('AUTHN-001', 'MUST', 'core', 'A request without a bearer token is refused with 401 agent.token_invalid on every agent route.'),
  R('AUTHN-002', 'MUST', 'core', 'A malformed Authorization header (wrong scheme, empty or garbage token) is refused with 401 agent.token_invalid.'),
  R('AUTHN-003', 'MUST', 'core', 'A well-formed but unknown token is refused with 401 agent.token_invalid.'),
  R('AUTHN-004', 'MUST', 'core', 'A revoked key is refused with 401 agent.token_invalid on the very next request, on every route.'),
  R('AUTHN-005', 'MUST', 'core', 'An expired key is refused with 401 agent.token_expired.'),
  R('AUTHN-006', 'MUST', 'core', "Revoking an app revokes all of its keys: each is refused with 401 agent.token_invalid."),
  R('AUTHN-007', 'SHOULD', 'core', 'A token presented anywhere but the Authorization header (query string, other headers) does not authenticate.'),
  // DISC — discovery
  R('DISC-001', 'MUST', 'core', "A key's manifest lists exactly the tools whose required scopes its app holds (authorization-dependent discovery)."),
  R('DISC-002', 'MUST', 'core', 'Every manifest tool descriptor is complete: name, description, requiredScopes[], risk low|medium|high, requiresConfirmation; write tools require confirmation.'),
  R('DISC-003', 'SHOULD', 'core', 'A tool hidden from a key is not disclosed: calling it yields the same status and code as calling a tool that does not exist.'),
  R('DISC-004', 'MUST', 'core', 'An unknown action is refused with 400 agent.action_unknown on preflight and actions, and nothing is created.'),
  // AUTHZ — scopes
  R('AUTHZ-001', 'MUST', 'core', 'A read route whose scope the app lacks is refused with 403 agent.scope_denied and returns no data.'),
  R('AUTHZ-002', 'MUST', 'core', 'A write tool whose required scopes the app does not all hold is refused on preflight and actions (scope_denied, or action_unknown when hidden) and creates nothing.'),
  // TENANT — tenant boundary
  R('TENANT-001', 'MUST', 'core', "A key of another tenant cannot read this tenant's resources: denied (403 policy_denied or 404) with none of the resource's data."),
  R('TENANT-002', 'MUST', 'core', 'The tenant is derived server-side: client-supplied tenant ids (query, header, payload) never widen access.'),
  R('TENANT-003', 'MUST', 'core', "A key of another tenant cannot preflight or draft writes against this tenant's resources, and the denial discloses none of their data."),
  // ABAC — IP and data policy, redaction
  R('ABAC-001', 'MUST', 'core', 'With a non-empty IP allowlist that does not match the client, every agent route is refused with 403 agent.policy_denied.'),
  R('ABAC-002', 'MUST', 'core', "An IP allowlist entry matching the client (exact IP or IPv4 CIDR) admits the client's requests."),
  R('ABAC-003', 'MUST', 'core', 'Data policy allowed_ledger_ids / allowed_org_ids is enforced: reads outside it are refused with 403 agent.policy_denied.'),
  R('ABAC-004', 'MUST', 'core', 'Data policy max_days is enforced: a wider date range is 403 agent.policy_denied; start after end is 400 agent.action_invalid.'),
  R('ABAC-005', 'MUST', 'core', 'With allow_sensitive_fields false, sensitive fields are redacted from read results.'),
  // ADM — admission control
  R('ADM-001', 'MUST', 'core', 'Past the rate limit every request is refused with 429 agent.rate_limited in the standard envelope, the same code every time.'),
  R('ADM-002', 'MUST', 'core', 'A request refused with 429 has no side effects: no draft, execution, preflight, or audit event.'),
  R('ADM-003', 'SHOULD', 'core', 'A 429 carries Retry-After (delta-seconds), and requests succeed again once that delay has passed.'),
  // AUDIT
  R('AUDIT-001', 'MUST', 'core', 'An allowed agent operation leaves exactly one audit event with app_id, key_id, action and status success.'),
  R('AUDIT-002', 'MUST', 'core', 'A scope, policy or tenant denial leaves exactly one audit event with status denied and the reason code.'),
  R('AUDIT-003', 'SHOULD', 'core', 'Failed requests of a known key (revoked or expired token, validation failure, missing resource) leave an audit event with the reason code.'),
  R('AUDIT-004', 'MUST', 'core', 'No audit event contains an agent token.'),
  // WRITE — draft-first, approval, rejection, isolation
  R('WRITE-001', 'MUST', 'write-lifecycle', 'A write without auto-execution becomes a pending draft (HTTP 200, status draft, no execution) and the domain is unchanged.'),
  R('WRITE-002', 'MUST', 'write-lifecycle', 'Admin approval confirms the draft and executes it exactly once; the agent sees the execution at GET /drafts/{id}.'),
  R('WRITE-003', 'MUST', 'write-lifecycle', 'Admin rejection cancels the draft and nothing runs.'),
  R('WRITE-004', 'MUST', 'write-lifecycle', 'Approve or reject of a draft that is no longer pending is 400 agent.draft_already_final and changes nothing.'),
  R('WRITE-005', 'MUST', 'write-lifecycle', "Another app's key (or an unknown id) gets 404 agent.draft_not_found for a draft, with none of its data."),
  R('WRITE-006', 'MUST', 'write-lifecycle', 'Draft creation, approval and execution each leave an audit event carrying the draft id (and the execution id for the execution).'),
  // AUTOEXEC — windows and gates
  R('AUTOEXEC-001', 'MUST', 'write-lifecycle', 'execute:true with auto-execution disabled stays a draft (HTTP 200, autoExecuteDeniedCode agent.auto_execute_disabled) and runs nothing.'),
  R('AUTOEXEC-002', 'MUST', 'write-lifecycle', 'With an enabled, unexpired window that allows the action, execute:true executes the write once.'),
  R('AUTOEXEC-003', 'MUST', 'write-lifecycle', 'An expired auto-execute window refuses with agent.auto_execute_expired and runs nothing.'),
  R('AUTOEXEC-004', 'MUST', 'write-lifecycle', 'An action outside allowed_actions refuses with agent.auto_execute_denied and runs nothing.'),
  R('AUTOEXEC-005', 'MUST', 'write-lifecycle', 'forceDraft always produces a draft, even when auto-execution would allow the write.'),
  R('AUTOEXEC-006', 'MUST', 'write-lifecycle', 'Each auto-execute refusal leaves a denied audit event carrying the refusal code.'),
  R('AUTOEXEC-007', 'MUST', 'write-lifecycle', 'Enabling low/medium-risk auto-execution never enables a high-risk write: it stays a draft with agent.auto_execute_disabled.'),
  // PREFLIGHT — impact binding
  R('PREFLIGHT-001', 'MUST', 'write-lifecycle', 'impactHash equals hex(SHA-256(JCS({action, payload, impact}))) recomputed by the client from the preflight response.'),
  R('PREFLIGHT-002', 'MUST', 'write-lifecycle', 'A high-risk execute without preflightHash (preflight required) refuses with agent.preflight_required and runs nothing.'),
  R('PREFLIGHT-003', 'MUST', 'write-lifecycle', 'A high-risk execute without a justification does not execute.'),
  R('PREFLIGHT-004', 'MUST', 'write-lifecycle', 'A payload changed after preflight (stale preflightHash) refuses with agent.preflight_mismatch and runs nothing.'),
  R('PREFLIGHT-005', 'SHOULD', 'write-lifecycle', "A preflightId used by another app's key is refused with 400 agent.preflight_not_found."),
  R('PREFLIGHT-006', 'MUST', 'write-lifecycle', "A preflightId whose action differs from the request's action is refused with 400 agent.preflight_mismatch."),
  // IDEM — idempotency
  R('IDEM-001', 'MUST', 'write-lifecycle', 'A high-risk execute without idempotencyKey (idempotency required) refuses with agent.idempotency_required and runs nothing.'),
  R('IDEM-002', 'MUST', 'write-lifecycle', 'Repeating an executed idempotency key returns the original execution (replayed, same execution id) and runs nothing new.'),
  R('IDEM-003', 'MUST', 'write-lifecycle', 'N ≥ 16 concurrent identical executes with one idempotency key produce exactly one execution and one domain change.'),
  R('IDEM-004', 'MUST', 'write-lifecycle', 'An idempotency key re-used with a different payload never runs the new payload.'),
  R('IDEM-005', 'SHOULD', 'write-lifecycle', 'An idempotency key re-used with a different payload is refused with agent.idempotency_mismatch.'),
  // WITNESS — State Witness
  R('WITNESS-001', 'MUST', 'state-witness', 'Preflight of a witnessed tool returns stateWitness and a stateWitnessHash equal to hex(SHA-256(JCS(stateWitness))).'),
  R('WITNESS-002', 'MUST', 'state-witness', 'A write request carrying a stale stateWitnessHash is refused with 409 agent.precondition_failed and nothing is created.'),
  R('WITNESS-003', 'MUST', 'state-witness', 'A draft whose resource changed before approval fails closed at approval: 409 agent.precondition_failed, no execution, a denied audit event.'),
  R('WITNESS-004', 'MUST', 'state-witness', 'Auto-execution with a stale witness fails closed: 409 agent.precondition_failed (or a draft) and no execution.'),
  R('WITNESS-005', 'SHOULD', 'state-witness', 'After a witness failure, a fresh preflight and request succeed.'),
  // FUZZ — robustness under generated input
  R('FUZZ-001', 'MUST', 'core', 'Under generated and hostile input on every route, the server never answers 5xx.'),
  R('FUZZ-002', 'MUST', 'core', 'Under generated input, every response is a well-formed envelope with a registry code whose HTTP status matches.'),
  R('FUZZ-003', 'MUST', 'core', 'Under generated input, no response echoes a stack trace, file path, SQL or token.'),
  R('FUZZ-004', 'MUST', 'core', 'Denied generated requests leave state unchanged (no drafts, no executions).'),
  R('FUZZ-005', 'MUST', 'write-lifecycle', 'Stateful lifecycle model holds: no execution without approval or allowed auto-execute, at most one execution per idempotency key, a revoked key never succeeds, one audit event per operation.'),
  R('FUZZ-006', 'SHOULD', 'core', 'For data-independent requests (authentication, validation, unknown actions, scope denials) the target agrees with the reference runtime on status and reason code.'),
  R('FUZZ-007', 'MUST', 'write-lifecycle', 'Abuse regression: retry storms, stolen tokens after revocation, cross-tenant probing, payload swaps and injected instructions never widen what the server allows.'),
  R('FUZZ-008', 'MUST', 'core', 'Every saved counterexample in the fuzz corpus replays without a finding.'),
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
