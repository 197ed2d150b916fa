import { actionAsked, noteAction, type FaultDef } from './fault.js';

export const fault = {
  name: 'idem-high-risk-scoped-per-key',
  clauses: ['IDEM.scope.same-app'],
  description: "The idempotencyKey of a high-risk action is scoped per agent key: the same execute from a second key of the app runs the write again; low- and medium-risk keys stay per app.",
  hooks: {
    requestBody: noteAction,
    idempotencyScope: (next, env) => (app, key) => {
      const risk = env.tools.find((t) => t.name === actionAsked(env))?.risk;
      return risk === 'high' ? `${next(app, key)}:${key.id}` : next(app, key);
    },
  },
} as const satisfies FaultDef;
