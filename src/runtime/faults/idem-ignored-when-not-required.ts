import type { AppRec } from '../store.js';
import type { FaultDef } from './fault.js';

/** The app whose request's idempotency key is being looked up, per runtime (the scope hook sees it just before). */
const asking = new WeakMap<object, AppRec>();

export const fault = {
  name: 'idem-ignored-when-not-required',
  clauses: ['IDEM.replay.runs-nothing'],
  description: "Under a high_risk window with require_idempotency false, a high-risk request's idempotencyKey is not looked up: repeated with the same key, it runs again.",
  hooks: {
    idempotencyScope: (next, env) => (app, key) => {
      asking.set(env.store, app);
      return next(app, key);
    },
    idempotency: (next, env) => (prior, fingerprint, tool) =>
      (tool?.risk === 'high' && asking.get(env.store)?.auto_execute.high_risk?.require_idempotency === false ? 'proceed' : next(prior, fingerprint, tool)),
  },
} as const satisfies FaultDef;
