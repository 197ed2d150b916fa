/**
 * Builders of the hook overrides that faults of one shape share, so each fault file states only what it
 * breaks: a route of the binding no longer served, a reason code sent with the wrong HTTP status, an
 * auto-execute refusal sent as an error instead of a draft, a member of every validation issue dropped.
 * Not a fault itself: the fault files (one per defect) call these.
 */
import type { ReasonCode } from '../../protocol/codes.js';
import type { ValidationIssue } from '../../protocol/types.js';
import type { DomainRead } from '../domain.js';
import { ApiError, type Json } from '../errors.js';
import type { ErrorReply, HookOverrides } from '../hooks.js';

/** The route (e.g. "POST /apps/:id/keys") of `plane` answers 404 like an unknown path. */
export function unserved(plane: 'agent' | 'admin' | 'health', route: string): HookOverrides {
  return { serves: (next) => (p, r, read) => !(p === plane && r === route) && next(p, r, read) };
}

/** The agent-plane read routes `which` picks (by what the domain read is, never by a domain's path) answer 404. */
export function unservedReads(which: (read: DomainRead) => boolean): HookOverrides {
  return { serves: (next) => (p, r, read) => !(p === 'agent' && read !== undefined && which(read)) && next(p, r, read) };
}

/** Every refusal's body as `change` rewrites it; its status and headers stay. */
export function errorBody(change: (body: ErrorReply['body']) => Record<string, unknown>): HookOverrides {
  return {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      // The reply's type describes a correct envelope; the defect may be precisely a member it insists on.
      return { ...reply, body: change(reply.body) as ErrorReply['body'] };
    },
  };
}

/** Refusals with `code` travel with HTTP `status` instead of the registry's. */
export function statusFor(code: ReasonCode, status: number): HookOverrides {
  return {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code === code) reply.status = status;
      return reply;
    },
  };
}

/** A write whose auto-execution is refused with `code` is answered as an HTTP 400 error, not HTTP 200 + draft. */
export function refusalAsError(code: ReasonCode): HookOverrides {
  return {
    replyData: (next) => (plane, route, data) => {
      const d = data as { autoExecuteDeniedCode?: unknown } | null;
      if (plane === 'agent' && route === 'POST /actions' && d !== null && typeof d === 'object' && d.autoExecuteDeniedCode === code) {
        throw new ApiError(code, 'Auto-execution refused', undefined, undefined, 400);
      }
      return next(plane, route, data);
    },
  };
}

/** Every issue of every validation failure (400 common.validation) is rewritten by `change`. */
export function validationIssues(change: (issue: ValidationIssue) => Json): HookOverrides {
  return {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      const issues = reply.body.details?.issues;
      if (reply.body.code === 'common.validation' && Array.isArray(issues)) {
        reply.body.details = { ...reply.body.details, issues: (issues as ValidationIssue[]).map(change) };
      }
      return reply;
    },
  };
}

/** `issue` without `member`: the issue a server sends when it forgets one of {code, path, message}. */
export function without(issue: ValidationIssue, member: keyof ValidationIssue): Json {
  const rest: Record<string, unknown> = { ...issue };
  delete rest[member];
  return rest as Json;
}
