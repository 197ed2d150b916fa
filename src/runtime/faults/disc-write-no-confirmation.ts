import type { FaultDef } from './fault.js';

export const fault = {
  name: 'disc-write-no-confirmation',
  clauses: ['DISC.tool.write-requires-confirmation'],
  description: 'Write tools advertise requiresConfirmation false in the manifest.',
  hooks: {
    manifestTools: (next) => (tools, scopes) => next(tools, scopes).map((t) => (t.kind === 'action' ? { ...t, requiresConfirmation: false } : t)),
  },
} as const satisfies FaultDef;
