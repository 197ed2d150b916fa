import { laterOfRisk, type FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-enabled-ignored-later-tools',
  clauses: ['AUTOEXEC.writes.enabled'],
  description: "A writes window with enabled:false still auto-executes the medium-risk tools after the domain's first (the demo's transaction.update) when it allows them; every other tool is refused as disabled.",
  hooks: {
    autoExecuteWindow: (next, env) => (cfg, tool) => {
      const window = next(cfg, tool);
      return window && !window.enabled && laterOfRisk(env, tool.name, 'medium') ? { ...window, enabled: true } : window;
    },
  },
} as const satisfies FaultDef;
