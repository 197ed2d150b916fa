import { header } from '../hooks.js';
import type { FaultDef } from './fault.js';

/**
 * The Authorization header of the last admin-plane request, kept per runtime: a debugging aid that copies
 * request headers into refusals. Two hooks, because the admin credential is seen where admin requests are
 * authenticated and leaked where refusals are built.
 */
const lastAdminAuth = new WeakMap<object, string>();

export const fault = {
  name: 'env-secret-leak',
  clauses: ['ENV.no-leak.secret'],
  description: "Every refusal's details carry the Authorization header of the last admin-plane request (the admin credential).",
  hooks: {
    adminAuthenticate: (next, env) => (req) => {
      const auth = header(req, 'authorization');
      if (auth !== undefined) lastAdminAuth.set(env.store, auth);
      return next(req);
    },
    errorEnvelope: (next, env) => (err) => {
      const reply = next(err);
      const auth = lastAdminAuth.get(env.store);
      if (auth !== undefined) reply.body.details = { ...reply.body.details, debug: { lastAdminAuthorization: auth } };
      return reply;
    },
  },
} as const satisfies FaultDef;
