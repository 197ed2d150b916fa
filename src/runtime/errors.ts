import type { ReasonCode } from '../protocol/codes.js';
import type { ValidationIssue } from '../protocol/types.js';

/** A refusal the runtime answers with an error envelope. Anything else thrown is an internal error. */
export class ApiError extends Error {
  constructor(
    readonly code: ReasonCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
    /** Only for the statuses the registry allows besides the code's own (405 for agent.not_found). */
    readonly status?: number,
  ) {
    // A refusal is an answer, not a bug: no stack trace is captured (the runtime refuses thousands of
    // requests per run, and a captured stack costs more than the rest of the refusal).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'ApiError';
  }

  /** Set when the handler already wrote the audit event for this refusal (the dispatcher must not add one). */
  audited = false;
}

export function audited(err: ApiError): ApiError {
  err.audited = true;
  return err;
}

export function issue(path: (string | number)[], message: string, code = 'custom'): ValidationIssue {
  return { code, path, message };
}

export function validationError(issues: ValidationIssue[]): ApiError {
  return new ApiError('common.validation', 'Validation failed', { issues });
}

/**
 * Stored state is at a cap (src/runtime/store.ts, docs/runtime-limits.md) with nothing evictable: the
 * write is refused like admission control refuses it — 429 agent.rate_limited, nothing stored — with
 * details.reason "storage_full" naming the store, whose cap it is (app, tenant or server) and the cap.
 * Retry-After says when waiting is sure to make room; without one, only an operator can (apps and keys
 * are never evicted).
 */
export function storageFull(room: { store: string; scope: 'app' | 'tenant' | 'server'; limit: number; retryAfterSeconds: number | null }): ApiError {
  const whose = room.scope === 'server' ? '' : ` per ${room.scope}`;
  return new ApiError('agent.rate_limited', `Storage limit reached: at most ${room.limit} ${room.store}${whose}; ${room.retryAfterSeconds === null ? 'an operator must make room' : 'retry later'}`,
    { reason: 'storage_full', store: room.store, scope: room.scope, limit: room.limit },
    room.retryAfterSeconds === null ? undefined : { 'retry-after': String(room.retryAfterSeconds) });
}

export type Json = Record<string, unknown>;

export function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Depth of nested objects/arrays, stopping early once `limit` is exceeded (deep input must stay cheap). */
export function depthExceeds(value: unknown, limit: number): boolean {
  return deeperThan(value, 0, limit);
}

/** depthExceeds' walk; a function of its own, not a closure made on every call (it runs for every body). */
function deeperThan(v: unknown, depth: number, limit: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (depth >= limit) return true;
  // for…in with hasOwn visits what Object.values would (own enumerable string-keyed members) without an array per object.
  for (const k in v) {
    if (Object.hasOwn(v, k) && deeperThan((v as Record<string, unknown>)[k], depth + 1, limit)) return true;
  }
  return false;
}

/** Small field validators that collect issues instead of throwing. */
export class Checker {
  readonly issues: ValidationIssue[] = [];

  constructor(private readonly obj: Json, private readonly base: (string | number)[] = []) {}

  private add(field: string, message: string, code = 'invalid_type'): void {
    this.issues.push(issue([...this.base, field], message, code));
  }

  string(field: string, opts: { required?: boolean; nonEmpty?: boolean; max?: number; nullable?: boolean } = {}): string | undefined {
    const v = this.obj[field];
    if (v === undefined || (v === null && opts.nullable)) {
      if (opts.required) this.add(field, `${field} is required`);
      return undefined;
    }
    if (typeof v !== 'string') return this.add(field, `${field} must be a string`), undefined;
    if (opts.nonEmpty && v.trim() === '') return this.add(field, `${field} must not be empty`, 'too_small'), undefined;
    if (opts.max !== undefined && v.length > opts.max) return this.add(field, `${field} is longer than ${opts.max}`, 'too_big'), undefined;
    return v;
  }

  boolean(field: string): boolean | undefined {
    const v = this.obj[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'boolean') return this.add(field, `${field} must be a boolean`), undefined;
    return v;
  }

  number(field: string, opts: { required?: boolean; integer?: boolean; min?: number; nullable?: boolean } = {}): number | undefined {
    const v = this.obj[field];
    if (v === undefined || (v === null && opts.nullable)) {
      if (opts.required) this.add(field, `${field} is required`);
      return undefined;
    }
    if (typeof v !== 'number' || !Number.isFinite(v)) return this.add(field, `${field} must be a finite number`), undefined;
    if (opts.integer && !Number.isInteger(v)) return this.add(field, `${field} must be an integer`), undefined;
    if (opts.min !== undefined && v < opts.min) return this.add(field, `${field} must be at least ${opts.min}`, 'too_small'), undefined;
    return v;
  }

  oneOf<T extends string>(field: string, values: readonly T[], required = false): T | undefined {
    const v = this.obj[field];
    if (v === undefined) {
      if (required) this.add(field, `${field} is required`);
      return undefined;
    }
    if (!values.includes(v as T)) return this.add(field, `${field} must be one of ${values.join(', ')}`, 'invalid_enum_value'), undefined;
    return v as T;
  }

  stringArray(field: string, opts: { nullable?: boolean } = {}): string[] | null | undefined {
    const v = this.obj[field];
    if (v === undefined) return undefined;
    if (v === null && opts.nullable) return null;
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) return this.add(field, `${field} must be an array of strings`), undefined;
    return v as string[];
  }

  date(field: string, opts: { nullable?: boolean } = {}): string | null | undefined {
    const v = this.obj[field];
    if (v === undefined) return undefined;
    if (v === null && opts.nullable) return null;
    if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) return this.add(field, `${field} must be an ISO 8601 date`, 'invalid_date'), undefined;
    return v;
  }

  /** Reject fields not in `allowed` (strict objects: a typo is an error, not a silent no-op). */
  only(allowed: readonly string[]): void {
    for (const k of Object.keys(this.obj)) {
      if (!allowed.includes(k)) this.issues.push(issue([...this.base, k], `unknown field ${k}`, 'unrecognized_keys'));
    }
  }
}
