import type { FaultDef } from './fault.js';

/** Per runtime: whether the agent request being answered is a POST /actions, and whether its body names a preflightId. */
const asking = new WeakMap<object, { actions: boolean; preflightId: boolean }>();

export const fault = {
  name: 'authn-expiry-skipped-with-preflight-id',
  clauses: ['AUTHN.token.expired'],
  // Over MCP a call reaches a route only through a session the front opened for an unexpired key.
  bindings: ['http'],
  description: 'An expired key is admitted on POST /actions when the body names a preflightId: a preflight made before the expiry still drafts after it; every other request of the key is 401 token_expired.',
  hooks: {
    // The body is read before authentication, so that expiry can be judged on what the request carries.
    parsesBodyBeforeAuthentication: () => () => true,
    serves: (next, env) => (plane, route, read) => {
      if (plane === 'agent') asking.set(env.store, { actions: route === 'POST /actions', preflightId: false });
      return next(plane, route, read);
    },
    parseJson: (next, env) => (text) => {
      const value = next(text);
      const a = asking.get(env.store);
      if (a?.actions && typeof value === 'object' && value !== null && typeof (value as { preflightId?: unknown }).preflightId === 'string') a.preflightId = true;
      return value;
    },
    keyExpired: (next, env) => (key) => (asking.get(env.store)?.preflightId === true ? false : next(key)),
  },
} as const satisfies FaultDef;
