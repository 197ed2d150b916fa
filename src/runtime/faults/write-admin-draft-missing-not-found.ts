import { ApiError } from '../errors.js';
import type { FaultDef } from './fault.js';

/** The plane of the request being answered, per runtime: the router asks `serves` of each request's route first. */
const planeOf = new WeakMap<object, string>();

export const fault = {
  name: 'write-admin-draft-missing-not-found',
  clauses: ['WRITE.draft-isolation.missing'],
  description: 'On the admin plane, GET, approve and reject of an unknown draft id answer 404 agent.not_found instead of agent.draft_not_found; the agent plane is right.',
  hooks: {
    serves: (next, env) => (plane, route, read) => {
      planeOf.set(env.store, plane);
      return next(plane, route, read);
    },
    errorEnvelope: (next, env) => (err) => next(err.code === 'agent.draft_not_found' && planeOf.get(env.store) === 'admin' ? new ApiError('agent.not_found', 'Not found') : err),
  },
} as const satisfies FaultDef;
