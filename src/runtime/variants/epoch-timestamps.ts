import type { Json } from '../errors.js';
import type { VariantDef } from './variant.js';

/** The record timestamps §2 and §10 name (and the admin plane's), on the protocol's own records. */
const STAMPS = new Set(['created_at', 'updated_at', 'confirmed_at', 'canceled_at', 'revoked_at', 'expires_at']);
/** Records of the protocol (apps, keys, drafts, executions, audit events, preflights), by their id prefix; domain rows keep theirs. */
const RECORD = /^(app|key|drf|exe|aud|pfl)_/;
/** Domain data and hashed material inside a record: what the agent sent or the domain made is left as it is. */
const OPAQUE = new Set(['payload', 'result', 'error', 'impact', 'stateWitness', 'details', 'items', 'policy_snapshot']);

/** `v` with the timestamps of the protocol's records written by `as` (from milliseconds since the epoch). */
function restamped(v: unknown, as: (ms: number) => unknown, inRecord = false): unknown {
  if (Array.isArray(v)) return v.map((x) => restamped(x, as, inRecord));
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown>;
  const record = inRecord || (typeof o.id === 'string' && RECORD.test(o.id));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) {
    if (record && STAMPS.has(k) && typeof x === 'string' && Number.isFinite(Date.parse(x))) out[k] = as(Date.parse(x));
    else if (record && OPAQUE.has(k)) out[k] = x;
    // An app's auto-execute configuration is the app's, wherever it is answered (the PATCH echoes it alone).
    else out[k] = restamped(x, as, (record || k === 'auto_execute') && !(typeof (x as { id?: unknown } | null)?.id === 'string'));
  }
  return out;
}

/** The hooks of a variant that writes the records' timestamps by `as`. */
export function timestampsAs(as: (ms: number) => unknown): VariantDef['hooks'] {
  return { successEnvelope: (next) => (plane, body) => next(plane, plane === 'health' ? body : { ...body, data: restamped(body.data, as) as Json }) };
}

export const variant: VariantDef = {
  name: 'epoch-timestamps',
  description: 'The timestamps of apps, keys, drafts, executions and audit events (created_at, updated_at, confirmed_at, canceled_at, revoked_at, expires_at, also inside an app\'s auto_execute) are numbers of milliseconds since the epoch, not ISO 8601 strings; domain rows and hashed material keep theirs.',
  allowedBy: 'Brief sections 2 and 10 name created_at and expires_at without a type; a number of milliseconds since the epoch is a timestamp as much as an ISO 8601 string is.',
  hooks: timestampsAs((ms) => ms),
};
