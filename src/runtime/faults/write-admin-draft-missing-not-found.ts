import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

/** Whether the request being answered is an admin-plane one, per runtime: set where each plane authenticates. */
const onAdmin = new WeakMap<object, boolean>();

export const fault = {
  name: 'write-admin-draft-missing-not-found',
  clauses: ['WRITE.draft-isolation.missing'],
  description: 'On the admin plane, GET, approve and reject of an unknown draft id answer 404 agent.not_found instead of agent.draft_not_found; the agent plane is right.',
  hooks: {
    adminAuthenticate: (next, env) => (req) => {
      onAdmin.set(env.store, true);
      return next(req);
    },
    lookupKey: (next, env) => (tokenHash) => {
      onAdmin.set(env.store, false);
      return next(tokenHash);
    },
    errorEnvelope: (next, env) => (err) => next(err.code === 'agent.draft_not_found' && onAdmin.get(env.store) ? new ApiError('agent.not_found', 'Not found') : err),
  },
} as const satisfies FaultDef;
