import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-unconfigured-open',
  clauses: ['AUTOEXEC.request.enabled-by-policy'],
  description: 'An app that never configured auto-execution auto-executes low/medium writes: no window counts as an open one.',
  hooks: {
    autoExecuteWindow: (next) => (cfg, tool) => next(cfg, tool) ?? (tool.risk === 'high' ? undefined : { enabled: true, expires_at: null, allowed_actions: null }),
  },
} as const satisfies FaultDef;
