import type { FaultDef } from './fault.js';

export const fault = {
  name: 'autoexec-expiry-grace-short',
  clauses: ['AUTOEXEC.writes.expires_at', 'AUTOEXEC.high_risk.expires_at'],
  description: 'An auto-execute window (either tier) still executes for 30 s after its expires_at; one that expired a minute ago is refused.',
  hooks: {
    windowExpired: (_next, env) => (w) => w.expires_at !== null && Date.parse(w.expires_at) + 30_000 <= env.now(),
  },
} as const satisfies FaultDef;
