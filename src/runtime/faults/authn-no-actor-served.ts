import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-no-actor-served',
  clauses: ['AUTHN.actor.resolved'],
  description: 'An app with no actor (a personal app created without a user) is served, acting as the admin who created it, instead of 403 agent.forbidden.',
  hooks: {
    actor: (next) => (app) => next(app) ?? app.created_by,
  },
} as const satisfies FaultDef;
