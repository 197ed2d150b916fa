import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-personal-acts-as-creator',
  clauses: ['AUTHN.actor.personal'],
  description: 'A personal app acts as the admin who created it instead of its user.',
  hooks: {
    actor: (next) => (app) => (app.scope === 'personal' ? app.created_by : next(app)),
  },
} as const satisfies FaultDef;
