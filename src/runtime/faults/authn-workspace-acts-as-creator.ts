import type { FaultDef } from './fault.js';

export const fault = {
  name: 'authn-workspace-acts-as-creator',
  clauses: ['AUTHN.actor.workspace'],
  description: 'A workspace app acts as the admin who created it instead of its service user.',
  hooks: {
    actor: (next) => (app) => (app.scope === 'workspace' ? app.created_by : next(app)),
  },
} as const satisfies FaultDef;
