/**
 * What the faults that misshape a reply share. A success reply's data they rewrite as a copy, through the
 * replyData hook (the stored drafts, executions and preflights stay as they are, so only what a client is told
 * is wrong); a refusal they recode through errorEnvelope. Not a fault itself; each fault file names its clause
 * and the one member or code it breaks.
 */
import type { ReasonCode } from '../../protocol/codes.js';
import { isObject, type Json } from '../errors.js';
import type { HookOverrides } from '../hooks.js';

/** The routes a fault reshapes, per plane ("POST /actions", "GET /drafts/:id", …). */
type Routes = { readonly agent?: readonly string[]; readonly admin?: readonly string[] };

/** A fault's rewrite of one reply: the copy to send, or undefined to send the reply unchanged. */
type Reshape = (data: Json) => Json | undefined;

/** Sends `reshape` of the data of `routes`; every other reply is left alone. */
export function reshapeReply(routes: Routes, reshape: Reshape): HookOverrides {
  return {
    replyData: (next) => (plane, route, data) => {
      const sent = next(plane, route, data);
      if (!routes[plane]?.includes(route) || !isObject(sent)) return sent;
      return reshape(structuredClone(sent)) ?? sent;
    },
  };
}

/** The data without `member`. */
export function without(data: Json, member: string): Json {
  const { [member]: _dropped, ...rest } = data;
  return rest;
}

/** An auto-execute refusal's data: {status:"draft", draft, autoExecuteDeniedCode, review_path}. */
export const isRefusal = (d: Json): boolean => d.status === 'draft' && typeof d.autoExecuteDeniedCode === 'string';

/** An execution's data that is not a replay: {status:"executed", draft, execution}. */
export const isExecuted = (d: Json): boolean => d.status === 'executed' && d.replayed !== true;

/** An idempotent replay's data: {status:"executed", replayed:true, code, execution}. */
export const isReplay = (d: Json): boolean => d.replayed === true;

/** Every reply that shows a draft or its execution to the agent or an admin. */
export const DRAFT_REPLIES = {
  agent: ['POST /actions', 'GET /drafts/:id'],
  admin: ['GET /drafts', 'GET /drafts/:id', 'POST /drafts/:id/approve', 'POST /drafts/:id/reject'],
} as const;

/** Rewrites every draft object of a reply (`draft`, a list's `items`, a review's `draftStatus`) with `fix`. */
export function reshapeDrafts(fix: (draft: Json) => void): HookOverrides {
  const visit = (d: Json): Json => {
    if (isObject(d.draft)) fix(d.draft);
    if (Array.isArray(d.items)) for (const item of d.items) if (isObject(item)) fix(item);
    if (typeof d.draftStatus === 'string') {
      const shown = { status: d.draftStatus };
      fix(shown);
      d.draftStatus = shown.status;
    }
    return d;
  };
  return reshapeReply(DRAFT_REPLIES, visit);
}

/** Refusals with code `from` are sent with code `to` instead (status and message unchanged). */
export function recode(from: ReasonCode, to: ReasonCode): HookOverrides {
  return {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      return reply.body.code === from ? { ...reply, body: { ...reply.body, code: to } } : reply;
    },
  };
}
