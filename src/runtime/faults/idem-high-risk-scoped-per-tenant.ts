import { actionAsked, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'idem-high-risk-scoped-per-tenant',
  clauses: ['IDEM.scope.other-app'],
  description: "The idempotencyKey of a high-risk action is scoped per tenant, not per app: another app of the tenant re-using a key gets the first app's execution (replayed) and its own write never runs; low- and medium-risk keys stay per app.",
  hooks: {
    requestBody: noteAction,
    idempotencyScope: (next, env) => (app, key) => {
      const risk = env.tools.find((t) => t.name === actionAsked(env))?.risk;
      return risk === 'high' ? `org:${app.org_id}` : next(app, key);
    },
  },
} as const satisfies FaultDef;
