import { openWindow } from './deploy.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'gate-window-unbounded',
  clauses: ['GATE.deploy.windows-bounded'],
  description: 'The runtime deploys its bootstrap app with low/medium-risk auto-execution enabled and no expires_at.',
  hooks: {
    bootstrapAutoExecute: (_next, env) => (tools) => ({ writes: { ...openWindow(tools, 'low/medium', env.now()), expires_at: null } }),
  },
} as const satisfies FaultDef;
