import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-later-tools-open-unconfigured',
  clauses: ['AUTOEXEC.request.enabled-by-policy'],
  description: "A medium-risk tool after the domain's first (the demo's transaction.update) auto-executes on execute:true with no auto-execution configured, as if a writes window allowed it.",
  hooks: {
    autoExecuteWindow: (next, env) => (cfg, tool) =>
      laterOfRisk(env, tool.name, 'medium') ? { enabled: true, expires_at: '9999-12-31T23:59:59.000Z', allowed_actions: null } : next(cfg, tool),
  },
} as const satisfies FaultDef;
