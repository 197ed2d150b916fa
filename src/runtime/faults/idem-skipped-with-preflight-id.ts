import type { FaultDef } from './fault.js';

/** Whether the POST /actions being answered names a preflightId (per runtime; another request clears it). */
const namesPreflight = new WeakMap<object, boolean>();

export const fault = {
  name: 'idem-skipped-with-preflight-id',
  clauses: ['IDEM.replay.returns-execution', 'IDEM.replay.runs-nothing'],
  description: 'The idempotency key is not looked up when the request names a preflightId: an execute repeated with the same key from a fresh preflight of the same payload runs again instead of replaying.',
  hooks: {
    requestBody: (next, env) => (route, body) => {
      namesPreflight.set(env.store, route === 'POST /actions' && typeof body.preflightId === 'string');
      return next(route, body);
    },
    idempotency: (next, env) => (prior, fingerprint, tool) => (namesPreflight.get(env.store) === true ? 'proceed' : next(prior, fingerprint, tool)),
  },
} as const satisfies FaultDef;
