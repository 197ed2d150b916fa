/**
 * The reason-code registry of OpenPort agent/v1: the one source of truth for codes, their HTTP status and
 * meaning. The runtime raises them, the checks expect them, the docs list them.
 */
export interface ReasonCodeInfo {
  /** HTTP status the code travels with; null when the code is not an HTTP error (carried inside data). */
  status: number | null;
  /** Where the code appears: an error envelope, data.autoExecuteDeniedCode, or data.code of a replay. */
  carrier: 'error' | 'autoExecuteDenied' | 'dataCode' | 'success';
  meaning: string;
  /** Extension codes a server may add and a client must tolerate; reserved codes are named but unspecified. */
  kind: 'core' | 'extension' | 'reserved';
}

export const REASON_CODES = {
  'common.success': { status: 200, carrier: 'success', kind: 'core', meaning: 'The request succeeded; data holds the result.' },
  'common.validation': { status: 400, carrier: 'error', kind: 'core', meaning: 'The request body or query failed validation; details.issues[] lists {code, path, message}.' },
  'common.internal_error': { status: 500, carrier: 'error', kind: 'core', meaning: 'Unexpected server failure; the message is generic and leaks nothing.' },
  'agent.token_invalid': { status: 401, carrier: 'error', kind: 'core', meaning: 'Missing, malformed, unknown or revoked agent token, or the owning app is not active.' },
  'agent.token_expired': { status: 401, carrier: 'error', kind: 'core', meaning: 'The agent key has passed its expires_at.' },
  'agent.forbidden': { status: 403, carrier: 'error', kind: 'core', meaning: 'The app is misconfigured: no actor could be resolved.' },
  'agent.scope_denied': { status: 403, carrier: 'error', kind: 'core', meaning: 'A scope the operation requires is not granted to the app.' },
  'agent.policy_denied': { status: 403, carrier: 'error', kind: 'core', meaning: 'Denied by policy: IP allowlist, ABAC data policy (ledgers, orgs, max_days) or the tenant boundary.' },
  'agent.rate_limited': { status: 429, carrier: 'error', kind: 'core', meaning: 'Admission control refused the request; retry after the signalled delay.' },
  'agent.action_unknown': { status: 400, carrier: 'error', kind: 'core', meaning: 'The named tool/action does not exist (or is not visible to this key).' },
  'agent.action_invalid': { status: 400, carrier: 'error', kind: 'core', meaning: 'The action request is semantically invalid (e.g. start after end, missing justification).' },
  'agent.not_found': { status: 404, carrier: 'error', kind: 'core', meaning: 'The referenced resource does not exist.' },
  'agent.draft_not_found': { status: 404, carrier: 'error', kind: 'core', meaning: 'The draft does not exist or belongs to another app.' },
  'agent.draft_already_final': { status: 400, carrier: 'error', kind: 'core', meaning: 'Approve or reject of a draft that is no longer pending.' },
  'agent.preflight_not_found': { status: 400, carrier: 'error', kind: 'core', meaning: 'The preflightId is unknown, expired, or bound to another app, key or actor.' },
  'agent.preflight_mismatch': { status: 400, carrier: 'error', kind: 'core', meaning: "The preflight does not match: the preflightId's action differs (400), or as an auto-execute refusal the submitted preflightHash differs from the recomputed one." },
  'agent.preflight_required': { status: null, carrier: 'autoExecuteDenied', kind: 'core', meaning: 'High-risk auto-execution refused: no preflightHash was supplied.' },
  'agent.idempotency_required': { status: null, carrier: 'autoExecuteDenied', kind: 'core', meaning: 'High-risk auto-execution refused: no idempotencyKey was supplied.' },
  'agent.auto_execute_disabled': { status: null, carrier: 'autoExecuteDenied', kind: 'core', meaning: 'Auto-execution is not enabled for this risk class; the write stays a draft.' },
  'agent.auto_execute_denied': { status: null, carrier: 'autoExecuteDenied', kind: 'core', meaning: 'The action is not in the auto-execute allowed_actions list; the write stays a draft.' },
  'agent.auto_execute_expired': { status: null, carrier: 'autoExecuteDenied', kind: 'core', meaning: 'The auto-execute window has expired; the write stays a draft.' },
  'agent.idempotency_replay': { status: 200, carrier: 'dataCode', kind: 'core', meaning: 'The idempotency key already has an execution; it is returned and nothing runs.' },
  'agent.precondition_failed': { status: 409, carrier: 'error', kind: 'core', meaning: 'State Witness mismatch or unsupported: the resource changed since it was witnessed; fail closed.' },
  'agent.step_up_required': { status: 403, carrier: 'error', kind: 'reserved', meaning: 'Reserved: step-up confirmation required for a high-risk write (not specified in v1).' },
  'agent.step_up_invalid': { status: 403, carrier: 'error', kind: 'reserved', meaning: 'Reserved: the step-up confirmation was invalid (not specified in v1).' },
  'agent.idempotency_mismatch': { status: 409, carrier: 'error', kind: 'extension', meaning: 'Extension: the idempotency key was used before with a different payload; nothing runs (409 or 422).' },
  'agent.execution_failed': { status: 500, carrier: 'error', kind: 'extension', meaning: 'Extension: a sanitised adapter failure during execution.' },
} as const satisfies Record<string, ReasonCodeInfo>;

export type ReasonCode = keyof typeof REASON_CODES;

/** Alternative statuses the brief explicitly allows for a code. */
const ALLOWED_EXTRA_STATUS: Partial<Record<ReasonCode, number[]>> = {
  // Oversized requests may be refused with 413 (body), 414 (URI) or 431 (header fields); a body of a media type
  // the route does not take, as a whole with 415 (RFC 9110 §15.5.16), before its members are validated.
  'common.validation': [413, 414, 415, 431],
  'agent.idempotency_mismatch': [422],
  'agent.execution_failed': [400, 409, 422, 502],
};

export function isReasonCode(code: unknown): code is ReasonCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(REASON_CODES, code);
}

/**
 * The HTTP statuses under which `code` may travel in an error envelope (empty for unknown codes). 405 Method
 * Not Allowed carries agent.not_found only as the answer to a wrong method on a known route (`wrongMethod`);
 * anything else not found is 404, as the brief says.
 */
export function statusesFor(code: string, context: { wrongMethod?: boolean } = {}): number[] {
  if (!isReasonCode(code)) return [];
  const info: ReasonCodeInfo = REASON_CODES[code];
  const base = info.status === null ? [] : [info.status];
  const wrongMethod = code === 'agent.not_found' && context.wrongMethod ? [405] : [];
  return [...base, ...(ALLOWED_EXTRA_STATUS[code] ?? []), ...wrongMethod];
}

export function statusFor(code: ReasonCode): number {
  const s = (REASON_CODES[code] as ReasonCodeInfo).status;
  if (s === null) throw new Error(`${code} is not carried as an HTTP error`);
  return s;
}
