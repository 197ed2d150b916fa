import { namesPreflightId } from './authn-expiry-skipped-with-preflight-id.js';
import type { FaultDef } from './fault.js';

/** Whether the request being authenticated is a POST /actions whose body names a preflightId, per runtime (noted by clientIp, read by ipAllowed). */
const named = new WeakMap<object, boolean>();

export const fault = {
  name: 'abac-ip-skipped-with-preflight-id',
  clauses: ['ABAC.ip.outside-denied'],
  // Over MCP a call reaches a route only through a session the front opened for a key inside its allowlist.
  bindings: ['http'],
  description: 'The IP allowlist is not applied to POST /actions that names a preflightId: such a request is answered from any address (the same request with a payload, and every other route, are still refused).',
  hooks: {
    clientIp: (next, env) => (req) => {
      named.set(env.store, namesPreflightId(req));
      return next(req);
    },
    ipAllowed: (next, env) => (ip, entries) => named.get(env.store) === true || next(ip, entries),
  },
} as const satisfies FaultDef;
