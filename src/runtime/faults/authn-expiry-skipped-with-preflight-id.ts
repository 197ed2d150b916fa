import { AGENT_BASE } from '../../protocol/types.js';
import type { RuntimeRequest } from '../types.js';
import type { FaultDef } from './fault.js';

/** Whether `req` is a POST /actions whose body names a preflightId (read here: authentication comes before the body is parsed). */
export function namesPreflightId(req: RuntimeRequest): boolean {
  if (req.method !== 'POST' || req.path.split('?')[0] !== `${AGENT_BASE}/actions` || req.body === undefined) return false;
  try {
    const body: unknown = JSON.parse(typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8'));
    return typeof body === 'object' && body !== null && typeof (body as { preflightId?: unknown }).preflightId === 'string';
  } catch {
    return false;
  }
}

export const fault = {
  name: 'authn-expiry-skipped-with-preflight-id',
  clauses: ['AUTHN.token.expired'],
  // Over MCP a call reaches a route only through a session the front opened for an unexpired key.
  bindings: ['http'],
  description: 'An expired key is admitted on POST /actions when the body names a preflightId: a preflight made before the expiry still drafts after it; every other request of the key is 401 token_expired.',
  hooks: {
    keyExpired: (next) => (key, req) => (namesPreflightId(req) ? false : next(key, req)),
  },
} as const satisfies FaultDef;
