import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-allowed-actions-later-tools',
  clauses: ['AUTOEXEC.writes.allowed_actions'],
  description: "The writes window's allowed_actions is not enforced for the medium-risk tools after the domain's first: a window allowing only the demo's transaction.create auto-executes an update.",
  hooks: {
    windowAllows: (next, env) => (w, tool) => laterOfRisk(env, tool.name, 'medium') || next(w, tool),
  },
} as const satisfies FaultDef;
