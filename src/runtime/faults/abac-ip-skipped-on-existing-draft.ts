import { AGENT_BASE } from '../../protocol/types.js';
import type { FaultDef } from './fault.js';

const DRAFT_POLL = new RegExp(`^${AGENT_BASE}/drafts/([^/?]+)`);

/** The draft id of the GET /drafts/{id} being authenticated, per runtime (noted by clientIp, read by ipAllowed). */
const polled = new WeakMap<object, string | undefined>();

export const fault = {
  name: 'abac-ip-skipped-on-existing-draft',
  clauses: ['ABAC.ip.outside-denied'],
  // Over MCP a call reaches a route only through a session the front opened for a key inside its allowlist.
  bindings: ['http'],
  description: 'The IP allowlist is not applied to GET /drafts/{id} of a draft that exists: an existing draft is answered from any address (a missing id and every other route are still refused).',
  hooks: {
    clientIp: (next, env) => (req) => {
      const id = req.method === 'GET' ? DRAFT_POLL.exec(req.path)?.[1] : undefined;
      polled.set(env.store, id);
      return next(req);
    },
    ipAllowed: (next, env) => (ip, entries) => {
      const id = polled.get(env.store);
      return (id !== undefined && env.store.drafts.has(id)) || next(ip, entries);
    },
  },
} as const satisfies FaultDef;
