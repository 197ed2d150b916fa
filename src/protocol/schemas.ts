/** JSON Schemas (draft-07, ajv) for the wire objects. Checks validate against these; the runtime is tested against them. */
import { createRequire } from 'node:module';
import type { Ajv, ValidateFunction } from 'ajv';

const nullableString = { type: ['string', 'null'] };
/**
 * A timestamp. §2 and §10 name created_at and expires_at without a type: an ISO 8601 string, or a number of
 * seconds or milliseconds since the epoch (timestampMs reads either).
 */
const timestamp = { type: ['string', 'number'] };
const nullableTimestamp = { type: ['string', 'number', 'null'] };

/**
 * The instant a timestamp names, in milliseconds since the epoch: an ISO 8601 date or date-time (one without a
 * zone, as SQL stores write it, read as UTC, never as this machine's local time), or a number of milliseconds —
 * or of seconds, below 10^11 (a count of milliseconds that small is before 1974) — also written as digits.
 */
export function timestampMs(v: unknown): number | undefined {
  if (typeof v === 'string' && /^\d{9,16}$/.test(v)) return timestampMs(Number(v));
  const zoneless = typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v);
  const ms = typeof v === 'string' ? (/^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(zoneless ? `${v.replace(' ', 'T')}Z` : v) : NaN) : typeof v === 'number' && v >= 0 ? (v < 1e11 ? v * 1000 : v) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

export const envelopeSchema = {
  $id: 'openport/envelope',
  oneOf: [
    {
      type: 'object',
      required: ['ok', 'code', 'data'],
      properties: { ok: { const: true }, code: { const: 'common.success' }, data: {} },
    },
    {
      type: 'object',
      required: ['ok', 'code', 'message'],
      properties: {
        ok: { const: false },
        code: { type: 'string', pattern: '^[a-z_]+\\.[a-z_]+$' },
        message: { type: 'string' },
        details: { type: 'object' },
      },
    },
  ],
} as const;

export const validationDetailsSchema = {
  $id: 'openport/validation-details',
  type: 'object',
  required: ['issues'],
  properties: {
    issues: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['code', 'path', 'message'],
        properties: {
          code: { type: 'string' },
          // The brief gives {code, path, message} without a type for path: an array of segments, a dotted string, or
          // null for the body as a whole.
          path: { anyOf: [{ type: 'array', items: { type: ['string', 'integer'] } }, { type: 'string' }, { type: 'null' }] },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

export const toolSchema = {
  $id: 'openport/tool',
  type: 'object',
  required: ['name', 'description', 'requiredScopes', 'risk', 'requiresConfirmation'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string', minLength: 1 },
    requiredScopes: { type: 'array', items: { type: 'string', minLength: 1 } },
    risk: { enum: ['low', 'medium', 'high'] },
    requiresConfirmation: { type: 'boolean' },
    http: {
      type: 'object',
      required: ['method', 'path'],
      properties: { method: { type: 'string' }, path: { type: 'string' } },
    },
    inputSchema: { type: 'object' },
    outputSchema: { type: 'object' },
  },
} as const;

export const manifestSchema = {
  $id: 'openport/manifest',
  type: 'object',
  required: ['app', 'tools'],
  properties: {
    app: {
      type: 'object',
      required: ['id', 'name', 'scope', 'orgId'],
      // orgId a string: every app "belongs to one tenant (org_id)" (§2), a personal one too.
      properties: { id: { type: 'string' }, name: { type: 'string' }, scope: { enum: ['workspace', 'personal'] }, orgId: { type: 'string' } },
    },
    tools: { type: 'array', items: { $ref: 'tool' } },
  },
} as const;

export const draftSchema = {
  $id: 'openport/draft',
  type: 'object',
  // §2 names no timestamp of a draft: its times are typed when present, never required.
  required: ['id', 'app_id', 'action_type', 'payload', 'status'],
  properties: {
    id: { type: 'string', minLength: 1 },
    app_id: { type: 'string' },
    key_id: nullableString,
    action_type: { type: 'string' },
    payload: {},
    status: { enum: ['draft', 'confirmed', 'canceled', 'failed'] },
    requires_confirmation: { type: 'boolean' },
    auto_execute_requested: { type: 'boolean' },
    justification: nullableString,
    preflight_hash: nullableString,
    preflight_state_witness_hash: nullableString,
    created_at: timestamp,
    updated_at: timestamp,
    confirmed_at: nullableTimestamp,
    canceled_at: nullableTimestamp,
  },
} as const;

export const executionSchema = {
  $id: 'openport/execution',
  type: 'object',
  required: ['id', 'draft_id', 'status'],
  properties: {
    id: { type: 'string', minLength: 1 },
    draft_id: { type: 'string' },
    app_id: { type: 'string' },
    idempotency_key: nullableString,
    status: { enum: ['success', 'failed'] },
    result: {},
    error: {},
    created_at: timestamp,
  },
} as const;

export const auditEventSchema = {
  $id: 'openport/audit-event',
  type: 'object',
  required: ['id', 'app_id', 'key_id', 'action', 'status', 'code', 'created_at'],
  properties: {
    id: { type: 'string' },
    app_id: nullableString,
    key_id: nullableString,
    actor_user_id: nullableString,
    performed_by_user_id: nullableString,
    action: { type: 'string', minLength: 1 },
    status: { enum: ['success', 'denied', 'failed'] },
    code: nullableString,
    request_id: nullableString,
    draft_id: nullableString,
    execution_id: nullableString,
    ip: nullableString,
    user_agent: nullableString,
    details: { type: ['object', 'null'] },
    created_at: timestamp,
  },
} as const;

let ajv: Ajv | undefined;
/** Made at the first validation (a command that validates nothing never loads ajv); each schema compiles at its first use. */
function schemas(): Ajv {
  if (ajv) return ajv;
  // Our own schemas, checked by the tests: no need to compile the meta-schema at every start (about 25 ms).
  // (protocol/ sits below kit/, so not kit/lazy.ts: the same synchronous require of the CommonJS package.)
  const { Ajv: AjvClass } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
  // No optimizing pass over the generated code either: it costs compile time and validates no faster.
  ajv = new AjvClass({ allErrors: true, strict: false, validateSchema: false, code: { optimize: false } });
  for (const s of [envelopeSchema, validationDetailsSchema, toolSchema, manifestSchema, draftSchema, executionSchema, auditEventSchema]) {
    ajv.addSchema(s);
  }
  return ajv;
}

export type SchemaName = 'envelope' | 'validation-details' | 'tool' | 'manifest' | 'draft' | 'execution' | 'audit-event';

/** Validate `value` against a protocol schema; returns human-readable problems (empty when valid). */
export function validateAgainst(name: SchemaName, value: unknown): string[] {
  const fn = schemas().getSchema(`openport/${name}`) as ValidateFunction;
  if (fn(value)) return [];
  let errors = fn.errors ?? [];
  // An envelope whose `ok` is a boolean is judged by the branch it chose: an error body is not explained by
  // what a success body would need ("must have required property 'data'"), nor the other way round.
  const ok = name === 'envelope' && typeof value === 'object' && value !== null ? (value as { ok?: unknown }).ok : undefined;
  if (typeof ok === 'boolean') {
    const branch = errors.filter((e) => e.schemaPath.startsWith(`#/oneOf/${ok ? 0 : 1}/`));
    if (branch.length > 0) errors = branch;
  }
  return errors.map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`);
}
